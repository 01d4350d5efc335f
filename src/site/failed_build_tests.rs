//! How a build that fails behaves through the output that the threads
//! beside the pages share: a writer error keeps its cause for every
//! thread, nothing is written after it, and the rollback takes back only
//! what the build made. (Unit tests: they need the private `Output`.)

use super::output::{Output, SharedOutput};

/// The full text of an error, with its causes, as the CLI prints it.
fn chain(e: &crate::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Writes pages through `out` until one write reports the writer's error.
fn write_until_error(out: &SharedOutput, stem: &str) -> Option<String> {
    for i in 0..20_000 {
        if let Err(e) = out.write(&format!("{stem}/{i}.html"), &[b'x'; 100]) {
            return Some(chain(&e));
        }
        if i % 32 == 31 {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }
    None
}

/// A folder (not empty) stands where the main thread's page `a.html` goes,
/// so the writer thread fails to rename it into place.
fn output_with_an_obstacle(root: &std::path::Path) -> SharedOutput {
    let planned = vec!["a.html".to_owned(), "z.html".to_owned()];
    let out = SharedOutput::new(Output::prepare(root, false, &planned, None).unwrap());
    std::fs::create_dir_all(root.join("a.html")).unwrap();
    std::fs::write(root.join("a.html/keep"), "mine").unwrap();
    out
}

/// An output whose writer has failed on the main thread's page `a.html`,
/// the failure met by a thread beside (the search index), which is the
/// next to send a batch; with the error that thread met.
fn output_failed_beside(root: &std::path::Path) -> (SharedOutput, String) {
    let out = output_with_an_obstacle(root);
    out.write("a.html", b"<p>a</p>").unwrap();
    let beside = out.clone();
    let met = std::thread::spawn(move || write_until_error(&beside, "search"))
        .join()
        .unwrap()
        .expect("the thread beside meets the writer's error");
    (out, met)
}

#[test]
fn a_write_error_met_by_the_thread_beside_still_names_its_cause_on_the_main_thread() {
    // The main thread hands over a page whose rename fails; the thread
    // beside (the search index) is the next to send a batch, so it is the
    // one that meets the writer's error, and its part fails with it. The
    // main thread goes on; its next streamed file (the matrix download) or
    // `finish` must still say what failed: in `build` the part's own error
    // is dropped with it when the main thread's error is returned.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let (out, met) = output_failed_beside(&root);
    assert!(met.contains("a.html"), "{met}");
    let err = chain(&out.finish().expect_err("the build fails"));
    assert!(
        err.contains("a.html"),
        "the main thread's error says what failed: {err}"
    );
}

#[test]
fn no_page_is_written_after_the_writer_failed() {
    // Once the writer has failed (its error met by the thread beside), a
    // page handed over by the main thread must fail too, not start a
    // new writer that goes on writing into the folder.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let (out, _) = output_failed_beside(&root);
    let mut written = 0;
    for i in 0..100 {
        if out
            .write(&format!("documents/{i}.html"), b"<p>d</p>")
            .is_ok()
        {
            written += 1;
        }
    }
    // Give a writer that was started again the time to write.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let on_disk = std::fs::read_dir(root.join("documents"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(
        (written, on_disk),
        (0, 0),
        "pages accepted and written after the failure"
    );
}

#[test]
fn a_failed_build_leaves_a_folder_it_did_not_make() {
    // `--force` into a folder of someone else's, which holds an empty
    // folder where the site puts pages: the build that fails takes back
    // its pages, and the folder it found stays ("nothing there is
    // deleted").
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("documents")).unwrap();
    std::fs::write(root.join("notes.txt"), "mine").unwrap();
    let planned = vec!["documents/a.html".to_owned()];
    let mut out = Output::prepare(&root, true, &planned, None).unwrap();
    out.write("documents/a.html", b"<p>a</p>").unwrap();
    drop(out); // the build failed before `finish`
    assert!(
        !root.join("documents/a.html").exists(),
        "the page is taken back"
    );
    assert!(
        root.join("documents").is_dir(),
        "the folder that was there before the build is still there"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("notes.txt")).unwrap(),
        "mine"
    );
}
