//! The output folder: every file the site writes goes through [`Output`].
//!
//! Rules, in the order a build meets them:
//! - A folder is ours when it holds the manifest [`MANIFEST`]; a non-empty
//!   folder without one is refused unless `--force`.
//! - Before anything is written, the manifest is extended with every page
//!   this build plans, so that an interrupted build leaves nothing behind
//!   that a later build would not know it wrote.
//! - Each file is rendered whole, compared with what is there (by the hash
//!   the manifest records, then by content), and written only if it
//!   differs: a rebuild of an unchanged store writes nothing.
//! - A new file goes straight in (temporary name, then rename). A changed
//!   file is written to a temporary name now and renamed into place only
//!   in [`Output::finish`], in build order: so every page that exists at
//!   any moment links only to pages that exist (new pages are all in
//!   place before any existing page starts to link to them, and stale
//!   pages go last).
//! - Stale files (in the old manifest, not written by this build) are
//!   removed last; nothing outside the manifest is ever deleted.
//!
//! Rendered pages are written by a thread of their own ([`Writer`]), in the
//! order they were handed over, while the next pages are rendered: on these
//! machines creating and renaming files costs as much as rendering them.
//! Every order above still holds: the writer is drained before a streamed
//! file is placed and before [`Output::finish`] renames or removes
//! anything.
//!
//! Files of independent parts of the site (the search index, the
//! obligations download) are rendered on threads of their own and written
//! through the same [`Output`], shared as [`SharedOutput`]: each thread's
//! files keep their own order, and the rules above still hold whatever
//! links where, since a changed file goes in only in [`Output::finish`],
//! after every thread has stopped (a new page may link to a new file of
//! another thread not yet written, as to any new page not yet written).

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// The manifest file, listing what lextrack wrote in the folder.
pub const MANIFEST: &str = ".lextrack-site";
/// Where temporary files live until they are renamed into place.
const TMP_DIR: &str = ".lextrack-tmp";
const HEADER: &str = "lextrack-site 1";

/// A file's fingerprint as the manifest records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub hash: u64,
    pub size: u64,
}

/// Counts for the report at the end of a build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

pub struct Output {
    root: PathBuf,
    /// What this build depends on (see `build_key` in mod.rs), recorded in the
    /// manifest's first line.
    key: Option<String>,
    old_key: Option<String>,
    old: BTreeMap<String, Option<Fingerprint>>,
    new: BTreeMap<String, Fingerprint>,
    deferred: Vec<(PathBuf, String)>,
    dirs: HashSet<PathBuf>,
    /// Folders this build made (they were not there before it): the only
    /// ones a build that fails may take back.
    made: Vec<PathBuf>,
    tmp_count: u64,
    stats: Stats,
    writer: Option<Writer>,
    /// The writer met an error (already returned once, perhaps to another
    /// thread), with its causes: the build must not finish as if it had
    /// not, nor write on, and its error must still say what failed.
    failed: Option<String>,
    /// New files this build put in place (or handed to the writer to
    /// put): a build that fails takes them back (see `Drop`).
    placed: Vec<String>,
    /// Set when [`Output::finish`] starts putting changed files in place:
    /// from then on the build can no longer be taken back.
    committed: bool,
}

/// Files rendered in memory on their way to disk: a thread writes each to
/// its temporary name and, for a new file, renames it into place, in the
/// order they were handed over. Pages go over in batches, so that the
/// writer thread is woken once per batch rather than once per page (each
/// wake-up is a pair of context switches: about 5 % of a build's CPU when
/// every page went alone); the queue is short, so that pages waiting to be
/// written hold little memory.
struct Writer {
    jobs: Option<std::sync::mpsc::SyncSender<Vec<WriteJob>>>,
    thread: Option<std::thread::JoinHandle<Result<()>>>,
    /// Pages handed over but not yet sent, and their size.
    batch: Vec<WriteJob>,
    batch_bytes: usize,
}

struct WriteJob {
    bytes: Vec<u8>,
    tmp: PathBuf,
    /// Where a new file goes once written; a changed one stays at its
    /// temporary name until [`Output::finish`].
    place: Option<PathBuf>,
}

/// Batches waiting for the writer at most.
const WRITE_QUEUE: usize = 4;
/// A batch is sent when it holds this many pages or bytes: at most
/// `(WRITE_QUEUE + 2) × BATCH_BYTES` (plus one page) wait in memory.
const BATCH_PAGES: usize = 32;
const BATCH_BYTES: usize = 512 * 1024;

impl Writer {
    fn start(root: &Path) -> Result<Writer> {
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Vec<WriteJob>>(WRITE_QUEUE);
        let thread = std::thread::Builder::new()
            .name("page-writer".into())
            .spawn(move || {
                for job in queue.into_iter().flatten() {
                    std::fs::write(&job.tmp, &job.bytes)
                        .map_err(|e| Error::io("write", &job.tmp, e))?;
                    if let Some(target) = &job.place {
                        std::fs::rename(&job.tmp, target)
                            .map_err(|e| Error::io("rename into place", target, e))?;
                    }
                }
                Ok(())
            })
            .map_err(|e| Error::io("start the page writer for", root, e))?;
        Ok(Writer {
            jobs: Some(jobs),
            thread: Some(thread),
            batch: Vec::with_capacity(BATCH_PAGES),
            batch_bytes: 0,
        })
    }

    /// Adds a page to the batch, sending the batch when it is full; `false`
    /// when the writer has stopped (on an error, which [`Writer::finish`]
    /// returns).
    fn push(&mut self, job: WriteJob) -> bool {
        self.batch_bytes += job.bytes.len();
        self.batch.push(job);
        if self.batch.len() < BATCH_PAGES && self.batch_bytes < BATCH_BYTES {
            return true;
        }
        self.send_batch()
    }

    fn send_batch(&mut self) -> bool {
        if self.batch.is_empty() {
            return true;
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_PAGES));
        self.batch_bytes = 0;
        self.jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(batch).is_ok())
    }

    /// Waits until everything handed over is on disk; the first error the
    /// writer met, if any.
    fn finish(mut self) -> Result<()> {
        self.stop()
    }

    fn stop(&mut self) -> Result<()> {
        self.send_batch();
        drop(self.jobs.take());
        match self.thread.take() {
            Some(thread) => thread.join().unwrap_or_else(|_| {
                Err(Error::Panicked {
                    what: "writing pages",
                })
            }),
            None => Ok(()),
        }
    }
}

/// A build that fails stops here too: the pages already handed over are
/// written (at most [`WRITE_QUEUE`] batches and the one being filled), and
/// no thread outlives the build.
impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// An [`Output`] that several rendering threads write through, one file at
/// a time.
#[derive(Clone)]
pub struct SharedOutput(std::sync::Arc<std::sync::Mutex<Output>>);

impl SharedOutput {
    pub fn new(out: Output) -> SharedOutput {
        SharedOutput(std::sync::Arc::new(std::sync::Mutex::new(out)))
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Output>> {
        // A thread that panicked while writing may have left the manifest's
        // record half made: the build stops rather than go on from it.
        self.0.lock().map_err(|_| Error::Panicked {
            what: "writing the site",
        })
    }

    /// See [`Output::write`].
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.lock()?.write(path, bytes)
    }

    /// See [`Output::keep_if_current`].
    pub fn keep_if_current(&self, path: &str, fp: Fingerprint) -> Result<bool> {
        Ok(self.lock()?.keep_if_current(path, fp))
    }

    /// See [`Output::may_be_current`].
    pub fn may_be_current(&self, path: &str) -> Result<bool> {
        Ok(self.lock()?.may_be_current(path))
    }

    /// See [`Output::create`].
    pub fn create(&self, path: &str) -> Result<Pending> {
        self.lock()?.create(path)
    }

    /// See [`Output::commit`].
    pub fn commit(&self, pending: Pending, fp: Fingerprint) -> Result<()> {
        self.lock()?.commit(pending, fp)
    }

    /// See [`Output::finish`]; every other thread writing through this
    /// output must have stopped.
    pub fn finish(self) -> Result<Stats> {
        match std::sync::Arc::try_unwrap(self.0) {
            Ok(out) => out
                .into_inner()
                .map_err(|_| Error::Panicked {
                    what: "writing the site",
                })?
                .finish(),
            // A thread still holds it: a bug in the build's order.
            Err(_) => Err(Error::Panicked {
                what: "writing the site",
            }),
        }
    }
}

/// A hasher that is also a writer, to fingerprint streamed files.
///
/// XXH3 rather than the standard library's SipHash: every byte of the site
/// is hashed on the rendering thread (263 MB at 10,000 pages), where SipHash
/// took about 3 % of a build's CPU; and XXH3's output is fixed by its
/// specification, where `DefaultHasher`'s may change with the toolchain.
#[derive(Default)]
pub struct HashWriter {
    hasher: xxhash_rust::xxh3::Xxh3Default,
    size: u64,
}

impl HashWriter {
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint {
            hash: self.hasher.digest(),
            size: self.size,
        }
    }
}

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.hasher.update(buf);
        self.size += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn fingerprint(bytes: &[u8]) -> Fingerprint {
    Fingerprint {
        hash: xxhash_rust::xxh3::xxh3_64(bytes),
        size: bytes.len() as u64,
    }
}

/// A file being streamed to a temporary name.
pub struct Pending {
    path: String,
    tmp: PathBuf,
    pub writer: std::io::BufWriter<std::fs::File>,
}

/// Refuses a build that would replace a file lextrack did not write: any
/// of `paths` (planned, and not in the manifest) that exists in `root`.
fn refuse_foreign<'p>(root: &Path, paths: impl Iterator<Item = &'p String>) -> Result<()> {
    let taken: Vec<&str> = paths
        .filter(|p| std::fs::symlink_metadata(root.join(p)).is_ok())
        .map(String::as_str)
        .collect();
    match taken.first() {
        None => Ok(()),
        Some(first) => Err(Error::Usage(format!(
            "`{}` already holds `{first}`{}, which the site would replace; lextrack did not write it, so move it away or choose another folder",
            root.display(),
            match taken.len() {
                1 => String::new(),
                n => format!(" and {} more of the site's paths", n - 1),
            }
        ))),
    }
}

/// The first folder on the way from `root` to `path` that is a symbolic
/// link or not a folder at all: writing or removing `path` there would
/// reach outside `root` (or fail half way). `None` when every folder on
/// the way is a real one or does not exist yet.
fn link_on_the_way(root: &Path, path: &str) -> Option<PathBuf> {
    let mut dir = root.to_path_buf();
    let parents: Vec<_> = Path::new(path).components().collect();
    for c in &parents[..parents.len().saturating_sub(1)] {
        dir.push(c);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Some(dir),
            Err(_) => return None,
        }
    }
    None
}

fn refuse_link(dir: &Path) -> Error {
    Error::Usage(format!(
        "`{}` is a symbolic link or a file, not a folder; lextrack writes only inside its output folder, so replace it with a folder or choose another one",
        dir.display()
    ))
}

/// Only plain relative paths are ours: a manifest edited by hand must never
/// make lextrack delete outside its folder.
fn is_plain(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

impl Output {
    /// Opens `root` for a build that will write `planned` (relative paths).
    pub fn prepare(
        root: &Path,
        force: bool,
        planned: &[String],
        key: Option<String>,
    ) -> Result<Output> {
        std::fs::create_dir_all(root).map_err(|e| Error::io("create folder", root, e))?;
        let manifest = root.join(MANIFEST);
        let (old_key, old) = match std::fs::read_to_string(&manifest) {
            Ok(text) => {
                let (old_key, old) = parse_manifest(&text).ok_or_else(|| {
                    Error::Usage(format!(
                        "`{}` is not a manifest lextrack can read; remove it or choose another folder",
                        manifest.display()
                    ))
                })?;
                // A page new to the manifest: whatever is at its path was
                // put there by someone else.
                refuse_foreign(root, planned.iter().filter(|p| !old.contains_key(*p)))?;
                (old_key, old)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut entries =
                    std::fs::read_dir(root).map_err(|e| Error::io("read folder", root, e))?;
                if entries.next().is_some() {
                    if !force {
                        return Err(Error::Usage(format!(
                            "`{}` is not empty and lextrack did not write it; choose an empty folder or pass --force (nothing there is deleted)",
                            root.display()
                        )));
                    }
                    // Even with --force, a file lextrack did not write is
                    // never replaced: the folder is only shared.
                    refuse_foreign(root, planned.iter())?;
                }
                (None, BTreeMap::new())
            }
            Err(e) => return Err(Error::io("read", manifest, e)),
        };
        // Pages go into a few folders: each is checked once, before
        // anything is written.
        let mut folders: Vec<&str> = planned
            .iter()
            .filter_map(|p| p.rsplit_once('/').map(|(dir, _)| dir))
            .collect();
        folders.sort_unstable();
        folders.dedup();
        for folder in folders {
            if let Some(link) = link_on_the_way(root, &format!("{folder}/x")) {
                return Err(refuse_link(&link));
            }
        }
        let tmp = root.join(TMP_DIR);
        if tmp.is_dir() {
            // Left by an interrupted build; only lextrack writes there.
            std::fs::remove_dir_all(&tmp).map_err(|e| Error::io("remove", &tmp, e))?;
        }
        let mut out = Output {
            root: root.to_path_buf(),
            key,
            old_key,
            old,
            new: BTreeMap::new(),
            deferred: Vec::new(),
            dirs: HashSet::new(),
            made: Vec::new(),
            tmp_count: 0,
            stats: Stats::default(),
            writer: None,
            failed: None,
            placed: Vec::new(),
            committed: false,
        };
        if planned.iter().any(|p| !out.old.contains_key(p)) || !manifest.exists() {
            let mut listed = out.old.clone();
            for p in planned {
                listed.entry(p.clone()).or_insert(None);
            }
            // No key yet: an interrupted build must not look complete.
            out.write_manifest(None, &listed)?;
        }
        Ok(out)
    }

    /// Writes `bytes` at `path` unless the file already holds them.
    /// A new or changed file is copied (exactly its size) for the writer
    /// thread, so the caller's buffer can take the next page at once.
    pub fn write(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        let fp = fingerprint(bytes);
        self.stats.files += 1;
        let target = self.root.join(path);
        match self.current(path, &target, fp) {
            Current::Same => {
                self.stats.unchanged += 1;
            }
            Current::Differs { exists } => {
                // The manifest may lag (a hash from another toolchain): compare
                // the bytes before writing.
                if exists && std::fs::read(&target).is_ok_and(|old| old == bytes) {
                    self.stats.unchanged += 1;
                } else {
                    let tmp = self.tmp_path()?;
                    let place = self.destination(&tmp, path, exists)?;
                    self.hand_over(WriteJob {
                        bytes: bytes.to_vec(),
                        tmp,
                        place,
                    })?;
                    self.stats.written += 1;
                }
            }
        }
        self.new.insert(path.to_owned(), fp);
        Ok(())
    }

    /// Queues a file for the writer thread, starting it if need be. A
    /// writer that stopped on an error reports it here.
    fn hand_over(&mut self, job: WriteJob) -> Result<()> {
        if self.failed.is_some() {
            return self.drain();
        }
        if self.writer.is_none() {
            self.writer = Some(Writer::start(&self.root)?);
        }
        let writer = self.writer.as_mut().expect("just started");
        if writer.push(job) {
            Ok(())
        } else {
            // The writer only stops early on an error, which this returns.
            self.drain()
        }
    }

    /// Waits for the writer thread to put everything on disk.
    fn drain(&mut self) -> Result<()> {
        if let Some(cause) = &self.failed {
            return Err(Error::io(
                "write pages in",
                &self.root,
                std::io::Error::other(format!("an earlier write failed: {cause}")),
            ));
        }
        let result = match self.writer.take() {
            Some(w) => w.finish(),
            None => Ok(()),
        };
        if let Err(e) = &result {
            let mut cause = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                cause.push_str(&format!(": {s}"));
                source = s.source();
            }
            self.failed = Some(cause);
        }
        result
    }

    /// Whether `path` already holds a file with this fingerprint; if so it
    /// counts as written by this build.
    pub fn keep_if_current(&mut self, path: &str, fp: Fingerprint) -> bool {
        let target = self.root.join(path);
        if let Current::Same = self.current(path, &target, fp) {
            self.stats.files += 1;
            self.stats.unchanged += 1;
            self.new.insert(path.to_owned(), fp);
            true
        } else {
            false
        }
    }

    /// Whether a file at `path` could already hold what this build writes:
    /// the manifest records its fingerprint and the file is there.
    pub fn may_be_current(&self, path: &str) -> bool {
        self.old.get(path).copied().flatten().is_some() && self.root.join(path).is_file()
    }

    /// Starts streaming a file to a temporary name.
    pub fn create(&mut self, path: &str) -> Result<Pending> {
        let tmp = self.tmp_path()?;
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io("create", &tmp, e))?;
        Ok(Pending {
            path: path.to_owned(),
            tmp,
            writer: std::io::BufWriter::with_capacity(1 << 16, file),
        })
    }

    /// Finishes a streamed file.
    pub fn commit(&mut self, pending: Pending, fp: Fingerprint) -> Result<()> {
        // Pages handed over before this file go in before it.
        self.drain()?;
        let Pending { path, tmp, writer } = pending;
        writer
            .into_inner()
            .map_err(|e| Error::io("write", &tmp, e.into_error()))?;
        let exists = self.root.join(&path).is_file();
        self.place(tmp, &path, exists)?;
        self.stats.files += 1;
        self.stats.written += 1;
        self.new.insert(path, fp);
        Ok(())
    }

    /// Puts deferred files in place, removes stale files, and records the
    /// manifest of this build.
    pub fn finish(mut self) -> Result<Stats> {
        self.drain()?;
        self.committed = true;
        for (tmp, path) in std::mem::take(&mut self.deferred) {
            let target = self.root.join(&path);
            std::fs::rename(&tmp, &target)
                .map_err(|e| Error::io("rename into place", &target, e))?;
        }
        let stale: Vec<String> = self
            .old
            .keys()
            .filter(|p| !self.new.contains_key(*p) && is_plain(p))
            .cloned()
            .collect();
        for path in stale {
            // A stale page behind a link is left alone: removing it would
            // remove a file outside the folder.
            if link_on_the_way(&self.root, &path).is_some() {
                continue;
            }
            let target = self.root.join(&path);
            match std::fs::symlink_metadata(&target) {
                Ok(m) if m.is_file() => {
                    std::fs::remove_file(&target).map_err(|e| Error::io("remove", &target, e))?;
                    self.stats.removed += 1;
                }
                _ => {}
            }
        }
        let tmp = self.root.join(TMP_DIR);
        if self.tmp_count > 0 && tmp.is_dir() {
            std::fs::remove_dir_all(&tmp).map_err(|e| Error::io("remove", &tmp, e))?;
        }
        let listed: BTreeMap<String, Option<Fingerprint>> = self
            .new
            .iter()
            .map(|(k, v)| (k.clone(), Some(*v)))
            .collect();
        if listed != self.old || self.key != self.old_key {
            let key = self.key.clone();
            self.write_manifest(key.as_deref(), &listed)?;
        }
        Ok(self.stats)
    }

    fn current(&self, path: &str, target: &Path, fp: Fingerprint) -> Current {
        let meta = std::fs::symlink_metadata(target).ok();
        let exists = meta.as_ref().is_some_and(|m| m.is_file());
        let recorded = self.old.get(path).copied().flatten();
        match (recorded, meta) {
            (Some(old), Some(m)) if old == fp && m.is_file() && m.len() == fp.size => Current::Same,
            _ => Current::Differs { exists },
        }
    }

    fn tmp_path(&mut self) -> Result<PathBuf> {
        let dir = self.root.join(TMP_DIR);
        if self.tmp_count == 0 {
            std::fs::create_dir_all(&dir).map_err(|e| Error::io("create folder", &dir, e))?;
        }
        self.tmp_count += 1;
        Ok(dir.join(format!("{}.tmp", self.tmp_count)))
    }

    /// A new file goes in now; a changed one waits for [`Output::finish`].
    fn place(&mut self, tmp: PathBuf, path: &str, exists: bool) -> Result<()> {
        if let Some(target) = self.destination(&tmp, path, exists)? {
            std::fs::rename(&tmp, &target)
                .map_err(|e| Error::io("rename into place", &target, e))?;
        }
        Ok(())
    }

    /// Where the file written at `tmp` goes now: a new file straight to
    /// `path` (its folder made), a changed one nowhere yet, since it waits
    /// for [`Output::finish`].
    fn destination(&mut self, tmp: &Path, path: &str, exists: bool) -> Result<Option<PathBuf>> {
        let target = self.root.join(path);
        self.make_parent(&target)?;
        if exists {
            self.deferred.push((tmp.to_path_buf(), path.to_owned()));
            Ok(None)
        } else {
            self.placed.push(path.to_owned());
            Ok(Some(target))
        }
    }

    fn make_parent(&mut self, target: &Path) -> Result<()> {
        if let Some(parent) = target.parent()
            && !self.dirs.contains(parent)
        {
            if let Ok(rel) = target.strip_prefix(&self.root)
                && let Some(link) = link_on_the_way(&self.root, &rel.to_string_lossy())
            {
                return Err(refuse_link(&link));
            }
            let mut missing = parent;
            while missing != self.root && std::fs::symlink_metadata(missing).is_err() {
                self.made.push(missing.to_path_buf());
                match missing.parent() {
                    Some(up) => missing = up,
                    None => break,
                }
            }
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
            self.dirs.insert(parent.to_path_buf());
        }
        Ok(())
    }

    fn write_manifest(
        &mut self,
        key: Option<&str>,
        entries: &BTreeMap<String, Option<Fingerprint>>,
    ) -> Result<()> {
        let mut text = String::with_capacity(entries.len() * 48 + 32);
        text.push_str(HEADER);
        if let Some(k) = key {
            text.push(' ');
            text.push_str(k);
        }
        text.push('\n');
        for (path, fp) in entries {
            match fp {
                Some(fp) => text.push_str(&format!("{:016x} {} {path}\n", fp.hash, fp.size)),
                None => text.push_str(&format!("- - {path}\n")),
            }
        }
        let target = self.root.join(MANIFEST);
        let tmp = self.root.join(format!("{MANIFEST}.tmp"));
        std::fs::write(&tmp, text).map_err(|e| Error::io("write", &tmp, e))?;
        std::fs::rename(&tmp, &target).map_err(|e| Error::io("rename into place", &target, e))?;
        Ok(())
    }
}

/// A build that stops before [`Output::finish`] (an error, a panic) takes
/// back what it put in place: the writer is waited for, every new file
/// this build placed is removed, with its temporary files and the folders
/// it made and left empty, and changed files were never put in place. The folder
/// is then the site of the last build that finished (none, for a first
/// build), whose pages link only to each other. The manifest stays as
/// `prepare` extended it, so the next build knows every path as its own.
/// Best effort: what cannot be removed is left for the next build, which
/// replaces or removes it.
impl Drop for Output {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if let Some(writer) = self.writer.take() {
            let _ = writer.finish();
        }
        for path in &self.placed {
            let _ = std::fs::remove_file(self.root.join(path));
        }
        let tmp = self.root.join(TMP_DIR);
        if self.tmp_count > 0 {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        // Deepest first; a folder that holds anything stays, and so does
        // one that was there before the build.
        let mut dirs: Vec<&PathBuf> = self.made.iter().collect();
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for dir in dirs {
            if dir.as_path() != self.root {
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}

enum Current {
    Same,
    Differs { exists: bool },
}

type Manifest = (Option<String>, BTreeMap<String, Option<Fingerprint>>);

fn parse_manifest(text: &str) -> Option<Manifest> {
    let mut lines = text.lines();
    let header = lines.next()?;
    let key = match header.strip_prefix(HEADER)? {
        "" => None,
        rest => Some(rest.strip_prefix(' ')?.to_owned()),
    };
    let mut out = BTreeMap::new();
    for line in lines {
        let mut parts = line.splitn(3, ' ');
        let (hash, size, path) = (parts.next()?, parts.next()?, parts.next()?);
        if !is_plain(path) {
            continue;
        }
        let fp = match (u64::from_str_radix(hash, 16), size.parse::<u64>()) {
            (Ok(hash), Ok(size)) => Some(Fingerprint { hash, size }),
            _ => None,
        };
        out.insert(path.to_owned(), fp);
    }
    Some((key, out))
}

/// When the folder was built last with `key` and every file it lists is
/// still there with its size, the counts of a build that writes nothing.
pub fn unchanged(root: &Path, key: &str) -> Result<Option<Stats>> {
    let manifest = root.join(MANIFEST);
    let Ok(text) = std::fs::read_to_string(&manifest) else {
        return Ok(None);
    };
    let Some((Some(old_key), entries)) = parse_manifest(&text) else {
        return Ok(None);
    };
    if old_key != key {
        return Ok(None);
    }
    for (path, fp) in &entries {
        let Some(fp) = fp else { return Ok(None) };
        match std::fs::symlink_metadata(root.join(path)) {
            Ok(m) if m.is_file() && m.len() == fp.size => {}
            _ => return Ok(None),
        }
    }
    Ok(Some(Stats {
        files: entries.len(),
        written: 0,
        unchanged: entries.len(),
        removed: 0,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_file_has_the_fingerprint_of_the_same_bytes_written_whole() {
        // Streamed files (downloads) and pages are fingerprinted by two
        // paths; a manifest entry must not depend on which one wrote it.
        let bytes: Vec<u8> = (0..10_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let mut streamed = HashWriter::default();
        for chunk in bytes.chunks(777) {
            streamed.write_all(chunk).unwrap();
        }
        assert_eq!(streamed.fingerprint(), fingerprint(&bytes));
        assert_ne!(fingerprint(&bytes), fingerprint(&bytes[1..]));
        // Fixed by XXH3's specification, so manifests outlive toolchains.
        assert_eq!(fingerprint(b"").hash, 0x2d06_8005_38d3_94c2);
    }

    #[test]
    fn manifest_paths_never_leave_the_folder() {
        assert!(is_plain("documents/a.html"));
        assert!(!is_plain("../x"));
        assert!(!is_plain("/etc/passwd"));
        assert!(!is_plain("a/../../b"));
        let (key, m) = parse_manifest("lextrack-site 1 abc\n- - ../evil\n00 1 ok.html\n").unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(key.as_deref(), Some("abc"));
    }

    #[test]
    fn a_write_that_fails_on_the_writer_thread_fails_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let planned = vec!["a.html".to_owned(), "b.html".to_owned()];
        let mut out = Output::prepare(&root, false, &planned, None).unwrap();
        // A folder (not empty) where the page should go: renaming the
        // written page onto it fails on the writer thread.
        std::fs::create_dir_all(root.join("a.html")).unwrap();
        std::fs::write(root.join("a.html/keep"), "mine").unwrap();
        out.write("a.html", b"<p>a</p>")
            .expect("queued: the writer has not met the error yet");
        // The error comes back from the next write or from finish, and a
        // build whose next write reported it still cannot finish.
        let next = out.write("b.html", b"<p>b</p>");
        let finished = out.finish();
        let err = match next {
            Err(e) => {
                assert!(finished.is_err(), "finish after a failed write");
                e
            }
            Ok(()) => finished.expect_err("the failed rename is reported"),
        };
        let text = err.to_string();
        assert!(
            text.contains("rename into place") && text.contains("a.html"),
            "{text}"
        );
        assert_eq!(
            std::fs::read_to_string(root.join("a.html/keep")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn pages_handed_to_the_writer_are_on_disk_after_finish() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let planned: Vec<String> = (0..50).map(|i| format!("p/{i}.html")).collect();
        let mut out = Output::prepare(&root, false, &planned, None).unwrap();
        for (i, p) in planned.iter().enumerate() {
            out.write(p, format!("page {i}\n").as_bytes()).unwrap();
        }
        let stats = out.finish().unwrap();
        assert_eq!((stats.files, stats.written), (50, 50));
        for (i, p) in planned.iter().enumerate() {
            assert_eq!(
                std::fs::read_to_string(root.join(p)).unwrap(),
                format!("page {i}\n")
            );
        }
        assert!(!root.join(TMP_DIR).exists(), "temporary files are gone");
    }
}
