//! Validation of a set of catalog files before anything is written.
//!
//! Checks what one batch of files can check on its own: identifiers, duplicates,
//! references between records of the batch, dates that contradict each
//! other, values that are well-formed only in context. References the batch
//! cannot resolve are returned as [`ExternalRef`]s for the store to resolve:
//! a new document file may name an agency imported last week.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::load::{Catalog, LoadedFile};
use super::model::*;
use crate::diagnostics::{Diagnostics, Location};

/// What kind of record a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefKind {
    Source,
    Agency,
    Partner,
    Document,
    Node,
}

impl RefKind {
    pub fn noun(self) -> &'static str {
        match self {
            RefKind::Source => "source",
            RefKind::Agency => "agency",
            RefKind::Partner => "partner",
            RefKind::Document => "document",
            RefKind::Node => "framework node",
        }
    }
}

/// A reference the batch does not define; the store must have it.
#[derive(Debug, Clone)]
pub struct ExternalRef {
    pub kind: RefKind,
    pub id: String,
    pub field: &'static str,
    pub location: Place,
}

/// A unique value (a document's work identifier, a partner's ISO code) that
/// the store must not hold for another record.
#[derive(Debug, Clone)]
pub struct UniqueClaim {
    pub table: &'static str,
    pub column: &'static str,
    pub value: String,
    pub owner: String,
    pub location: Place,
}

/// Where a record is: a file of the catalog, the list the record is in and
/// its position there, and optionally the key whose line to show. The line
/// number is looked up only when a problem is reported, since that scans
/// the file.
#[derive(Debug, Clone)]
pub struct Place {
    pub file: usize,
    /// e.g. `obligation "law-art1-quota"`; empty for the file as a whole.
    pub record: String,
    /// The list the record is in (`source` for `[[source]]`, `document`
    /// for the file's `[document]`) and its position among that list's
    /// records in the file: the record's own header, whatever other
    /// records share its ID or its values.
    pub at: Option<(&'static str, usize)>,
    /// The key whose line to show (`id`) with the record's value for it;
    /// without one, the line where the record starts.
    pub key: Option<(&'static str, String)>,
}

impl Place {
    /// The `index`-th record of the `section` list (`[[section]]` in TOML)
    /// of file `file`.
    pub fn new(file: usize, section: &'static str, index: usize, record: String) -> Self {
        Place {
            file,
            record,
            at: Some((section, index)),
            key: None,
        }
    }

    /// Points at the record's `key = "value"` line rather than its header.
    pub fn key(mut self, key: &'static str, value: &str) -> Self {
        self.key = Some((key, value.to_owned()));
        self
    }

    /// The `index`-th `[[event]]` of file `file`.
    pub fn event(file: usize, e: &StatusEvent, index: usize) -> Self {
        Place::new(
            file,
            "event",
            index,
            format!("event {} {}", e.stage, e.date),
        )
    }

    /// The `index`-th `[[obligation.history]]` of file `file`, a change of
    /// obligation `o`.
    pub fn obligation_change(
        file: usize,
        o: &Obligation,
        h: &ObligationEvent,
        index: usize,
    ) -> Self {
        Place::new(
            file,
            "obligation.history",
            index,
            format!("obligation \"{}\" change {} {}", o.id, h.status, h.date),
        )
    }

    /// The file's `[document]`, at its `id` line.
    pub fn document(file: usize, id: &str) -> Self {
        Place::new(file, "document", 0, format!("document \"{id}\"")).key("id", id)
    }

    /// The `index`-th `[[obligation]]` of file `file`, at its `id` line.
    pub fn obligation(file: usize, index: usize, id: &str) -> Self {
        Place::new(file, "obligation", index, format!("obligation \"{id}\"")).key("id", id)
    }

    /// The `index`-th `[[node]]` of file `file`, at its `id` line.
    pub fn node(file: usize, index: usize, id: &str) -> Self {
        Place::new(file, "node", index, format!("node \"{id}\"")).key("id", id)
    }

    pub fn file(file: usize) -> Self {
        Place {
            file,
            record: String::new(),
            at: None,
            key: None,
        }
    }

    pub fn locate(&self, catalog: &Catalog) -> Location {
        let file = &catalog.files[self.file];
        if self.record.is_empty() {
            return Location::file(&file.name);
        }
        // Found through the record's own header, so never another record's
        // line; where the text does not show it, no line.
        let line = self.at.and_then(|(section, index)| match &self.key {
            Some((key, value)) => file.line_of_key(section, index, key, value),
            None => file.line_of_nth(section, index),
        });
        Location {
            file: file.name.clone(),
            line,
            column: None,
            record: Some(self.record.clone()),
        }
    }
}

/// What the store still has to confirm after the batch validated.
#[derive(Debug, Default)]
pub struct Pending {
    pub refs: Vec<ExternalRef>,
    pub unique: Vec<UniqueClaim>,
}

/// Checks a whole batch. Returns every problem found, and what the store
/// must confirm. With `today`, what happened (events, adoptions,
/// publications, values) must not be dated after it, as `record` and
/// `check` require.
pub fn validate(catalog: &Catalog, today: Option<NaiveDate>) -> (Diagnostics, Pending) {
    let mut v = Validator {
        catalog,
        today,
        successions: HashMap::new(),
        problems: Diagnostics::default(),
        pending: Pending::default(),
        defined: HashMap::new(),
    };
    v.collect_ids(catalog);
    for (index, file) in catalog.files.iter().enumerate() {
        v.check_file(index, file);
    }
    (v.problems, v.pending)
}

/// A succession's natural key: from, to, type and date.
type SuccessionKey = (String, String, SuccessionKind, crate::date::PartialDate);

struct Validator<'c> {
    catalog: &'c Catalog,
    today: Option<NaiveDate>,
    successions: HashMap<SuccessionKey, Place>,
    problems: Diagnostics,
    pending: Pending,
    defined: HashMap<RefKind, HashSet<String>>,
}

/// Catalog IDs: lowercase ASCII letters, digits and `.`, `_`, `-`, starting
/// with a letter or digit. They appear in URLs and file names, so nothing
/// else is allowed.
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}

/// Akoma Ntoso style eIds: `abbr_num` components joined by `__`, e.g.
/// `chp_2__art_9__para_1`; numbers may hold letters, digits, `-` and `.`.
fn valid_eid(eid: &str) -> bool {
    !eid.is_empty()
        && eid.len() <= 256
        && eid.split("__").all(|part| {
            part.split_once('_').is_some_and(|(abbr, num)| {
                !abbr.is_empty()
                    && abbr.bytes().all(|b| b.is_ascii_lowercase())
                    && !num.is_empty()
                    && num
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.'))
            })
        })
}

fn valid_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && url.len() > "http://".len()
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The parent eId implied by an eId: everything before its last `__`.
pub fn implied_parent(eid: &str) -> Option<&str> {
    eid.rsplit_once("__").map(|(parent, _)| parent)
}

impl Validator<'_> {
    /// Reports a problem at `at`; the line is looked up only now, because
    /// finding it means scanning the file.
    fn push(&mut self, at: &Place, message: impl Into<String>) {
        let location = at.locate(self.catalog);
        self.problems.push(location, message);
    }

    fn collect_ids(&mut self, catalog: &Catalog) {
        for file in &catalog.files {
            let c = &file.content;
            let mut add = |kind, id: &str| {
                self.defined.entry(kind).or_default().insert(id.to_owned());
            };
            c.sources.iter().for_each(|s| add(RefKind::Source, &s.id));
            c.agencies.iter().for_each(|a| add(RefKind::Agency, &a.id));
            c.partners.iter().for_each(|p| add(RefKind::Partner, &p.id));
            c.document
                .iter()
                .for_each(|d| add(RefKind::Document, &d.id));
            c.nodes.iter().for_each(|n| add(RefKind::Node, &n.id));
        }
        self.check_duplicates(catalog);
    }

    /// IDs must be unique across the whole batch, per kind of record.
    fn check_duplicates<'c>(&mut self, catalog: &'c Catalog) {
        let mut seen: HashMap<(&'static str, String), Place> = HashMap::new();
        for (fi, file) in catalog.files.iter().enumerate() {
            let c = &file.content;
            // What each record is, its list and position there, and the
            // key that holds the value that must be unique.
            let mut records: Vec<(&'static str, &'static str, usize, &'static str, &str)> =
                Vec::new();
            let mut add = |what, section, key, values: Vec<&'c str>| {
                records.extend(
                    (values.into_iter().enumerate()).map(|(i, v)| (what, section, i, key, v)),
                );
            };
            add(
                "source",
                "source",
                "id",
                c.sources.iter().map(|r| r.id.as_str()).collect(),
            );
            add(
                "agency",
                "agency",
                "id",
                c.agencies.iter().map(|r| r.id.as_str()).collect(),
            );
            add(
                "partner",
                "partner",
                "id",
                c.partners.iter().map(|r| r.id.as_str()).collect(),
            );
            add(
                "document",
                "document",
                "id",
                c.document.iter().map(|r| r.id.as_str()).collect(),
            );
            add(
                "work identifier",
                "document",
                "work_id",
                c.document.iter().map(|r| r.work_id.as_str()).collect(),
            );
            add(
                "framework",
                "framework",
                "id",
                c.framework.iter().map(|r| r.id.as_str()).collect(),
            );
            add(
                "framework node",
                "node",
                "id",
                c.nodes.iter().map(|r| r.id.as_str()).collect(),
            );
            add(
                "obligation",
                "obligation",
                "id",
                c.obligations.iter().map(|r| r.id.as_str()).collect(),
            );
            add(
                "claim",
                "claim",
                "id",
                c.claims.iter().map(|r| r.id.as_str()).collect(),
            );
            add(
                "indicator",
                "indicator",
                "id",
                c.indicators.iter().map(|r| r.id.as_str()).collect(),
            );
            // Partners without an ISO code keep their positions.
            records.extend(
                c.partners.iter().enumerate().filter_map(|(i, p)| {
                    Some(("ISO code", "partner", i, "iso", p.iso.as_deref()?))
                }),
            );
            for (what, section, index, key, id) in records {
                let here = Place::new(fi, section, index, format!("{what} \"{id}\"")).key(key, id);
                match seen.get(&(what, id.to_owned())) {
                    Some(first) => {
                        let mut first = first.locate(catalog);
                        first.record = None;
                        self.push(
                            &here,
                            format!("duplicate {what} `{id}`: already defined at {first}"),
                        );
                    }
                    None => {
                        seen.insert((what, id.to_owned()), here);
                    }
                }
            }
        }
    }

    /// Records a reference: fine if the batch defines it, otherwise the
    /// store must.
    fn reference(&mut self, kind: RefKind, id: &str, field: &'static str, location: &Place) {
        if self.defined.get(&kind).is_some_and(|ids| ids.contains(id)) {
            return;
        }
        self.pending.refs.push(ExternalRef {
            kind,
            id: id.to_owned(),
            field,
            location: location.clone(),
        });
    }

    fn id(&mut self, id: &str, location: &Place) {
        if !valid_id(id) {
            self.push(location,
                format!(
                    "field `id`: `{id}` is not a valid ID: use lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit"
                ),
            );
        }
    }

    fn names(&mut self, field: &str, names: &Localized, location: &Place) {
        if names.is_empty() {
            self.push(
                location,
                format!("field `{field}`: give the text in at least one of en, ru, kk"),
            );
        }
        for text in [&names.en, &names.ru, &names.kk].into_iter().flatten() {
            if text.trim().is_empty() {
                self.push(location, format!("field `{field}`: empty text"));
            }
        }
    }

    fn url(&mut self, url: &Option<String>, location: &Place) {
        if let Some(url) = url
            && !valid_url(url)
        {
            self.push(
                location,
                format!("field `url`: `{url}` is not an http or https address"),
            );
        }
    }

    fn not_before(
        &mut self,
        later: &Option<crate::date::PartialDate>,
        later_field: &str,
        earlier: &Option<crate::date::PartialDate>,
        earlier_field: &str,
        location: &Place,
    ) {
        if let (Some(l), Some(e)) = (later, earlier)
            && l.latest() < e.earliest()
        {
            self.push(
                location,
                format!("field `{later_field}`: {l} is before `{earlier_field}` {e}"),
            );
        }
    }

    /// Something that happened cannot be dated after today. A partial date
    /// is after today only when its first day is.
    fn not_after_today(
        &mut self,
        date: Option<crate::date::PartialDate>,
        field: &str,
        location: &Place,
    ) {
        if let (Some(date), Some(today)) = (date, self.today)
            && date.earliest() > today
        {
            self.push(
                location,
                format!(
                    "field `{field}`: {date} is after today ({})",
                    today.format("%Y-%m-%d")
                ),
            );
        }
    }

    fn check_file(&mut self, fi: usize, file: &LoadedFile) {
        let c = &file.content;
        let whole = Place::file(fi);

        for (i, s) in c.sources.iter().enumerate() {
            let loc = Place::new(fi, "source", i, format!("source \"{}\"", s.id)).key("id", &s.id);
            self.id(&s.id, &loc);
            self.url(&s.url, &loc);
            if s.title.trim().is_empty() {
                self.push(&loc, "field `title`: empty title");
            }
            self.not_after_today(s.published, "published", &loc);
            self.not_after_today(s.accessed, "accessed", &loc);
        }

        for (i, a) in c.agencies.iter().enumerate() {
            let loc = Place::new(fi, "agency", i, format!("agency \"{}\"", a.id)).key("id", &a.id);
            self.id(&a.id, &loc);
            self.names("name", &a.name, &loc);
            if let Some(parent) = &a.parent {
                if parent == &a.id {
                    self.push(&loc, "field `parent`: an agency cannot be its own parent");
                }
                self.reference(RefKind::Agency, parent, "parent", &loc);
            }
            self.not_before(
                &a.abolished,
                "abolished",
                &a.established,
                "established",
                &loc,
            );
            self.not_after_today(a.established, "established", &loc);
            self.reference(RefKind::Source, &a.source, "source", &loc);
        }

        for (i, s) in c.successions.iter().enumerate() {
            let loc = Place::new(
                fi,
                "succession",
                i,
                format!("succession \"{}\" -> \"{}\"", s.from, s.to),
            );
            let key = (s.from.clone(), s.to.clone(), s.kind, s.date);
            if let Some(first) = self.successions.get(&key) {
                let mut first = first.locate(self.catalog);
                first.record = None;
                self.push(
                    &loc,
                    format!(
                        "duplicate succession: the same agencies, type and date are at {first}"
                    ),
                );
            } else {
                self.successions.insert(key, loc.clone());
            }
            if s.from == s.to {
                self.push(&loc, "field `to`: an agency cannot succeed itself");
            }
            self.not_after_today(Some(s.date), "date", &loc);
            self.reference(RefKind::Agency, &s.from, "from", &loc);
            self.reference(RefKind::Agency, &s.to, "to", &loc);
            self.reference(RefKind::Source, &s.source, "source", &loc);
        }

        for (i, p) in c.partners.iter().enumerate() {
            let loc =
                Place::new(fi, "partner", i, format!("partner \"{}\"", p.id)).key("id", &p.id);
            self.id(&p.id, &loc);
            self.names("name", &p.name, &loc);
            if let Some(iso) = &p.iso {
                if !(iso.len() == 2 && iso.bytes().all(|b| b.is_ascii_uppercase())) {
                    self.push(&loc,
                        format!("field `iso`: `{iso}` is not an ISO 3166-1 alpha-2 code (two capital letters)"),
                    );
                }
                if p.kind != PartnerKind::State {
                    self.push(&loc, "field `iso`: only states have ISO 3166-1 codes");
                }
                self.pending.unique.push(UniqueClaim {
                    table: "partners",
                    column: "iso",
                    value: iso.clone(),
                    owner: p.id.clone(),
                    location: loc.clone(),
                });
            }
            self.reference(RefKind::Source, &p.source, "source", &loc);
        }

        for (i, cl) in c.claims.iter().enumerate() {
            let loc = Place::new(fi, "claim", i, format!("claim \"{}\"", cl.id)).key("id", &cl.id);
            self.id(&cl.id, &loc);
            self.not_after_today(Some(cl.stated), "stated", &loc);
            self.reference(RefKind::Partner, &cl.partner, "partner", &loc);
            if let Some(doc) = &cl.agreement {
                self.reference(RefKind::Document, doc, "agreement", &loc);
            }
            if cl.correction_source.is_some() && cl.correction.is_none() {
                self.push(
                    &loc,
                    "field `correction_source`: give the `correction` it supports",
                );
            }
            if let Some(src) = &cl.correction_source {
                self.reference(RefKind::Source, src, "correction_source", &loc);
            }
            self.reference(RefKind::Source, &cl.source, "source", &loc);
        }

        let mut value_index = 0;
        for (i, ind) in c.indicators.iter().enumerate() {
            let loc = Place::new(fi, "indicator", i, format!("indicator \"{}\"", ind.id))
                .key("id", &ind.id);
            self.id(&ind.id, &loc);
            self.names("name", &ind.name, &loc);
            self.reference(RefKind::Source, &ind.source, "source", &loc);
            let mut periods = HashSet::new();
            for value in &ind.values {
                let vloc = Place::new(
                    fi,
                    "indicator.value",
                    value_index,
                    format!("indicator \"{}\" value \"{}\"", ind.id, value.period),
                );
                value_index += 1;
                match value.period.parse::<Period>() {
                    Ok(period) => self.not_after_today(Some(period.start), "period", &vloc),
                    Err(e) => self.push(&vloc, format!("field `period`: {e}")),
                }
                if !periods.insert(value.period.as_str()) {
                    self.push(
                        &vloc,
                        format!("duplicate period `{}` in this series", value.period),
                    );
                }
                if !value.value.is_finite() {
                    self.push(&vloc, "field `value`: not a finite number");
                }
                self.reference(RefKind::Source, &value.source, "source", &vloc);
            }
        }

        if let Some(fw) = &c.framework {
            let loc = Place::new(fi, "framework", 0, format!("framework \"{}\"", fw.id))
                .key("id", &fw.id);
            self.id(&fw.id, &loc);
            self.names("title", &fw.title, &loc);
            if let Some(doc) = &fw.document {
                self.reference(RefKind::Document, doc, "document", &loc);
            }
            self.reference(RefKind::Source, &fw.source, "source", &loc);
        } else if !c.nodes.is_empty() {
            self.push(
                &whole,
                "`node` records need a `[framework]` in the same file",
            );
        }
        let mut nodes_so_far = HashSet::new();
        for (i, n) in c.nodes.iter().enumerate() {
            let loc = Place::node(fi, i, &n.id);
            self.id(&n.id, &loc);
            self.names("title", &n.title, &loc);
            if let Some(parent) = &n.parent
                && !nodes_so_far.contains(parent.as_str())
            {
                self.push(
                    &loc,
                    format!(
                        "field `parent`: no node `{parent}` above this one in the same framework"
                    ),
                );
            }
            nodes_so_far.insert(n.id.as_str());
            self.reference(RefKind::Source, &n.source, "source", &loc);
        }

        match &c.document {
            Some(doc) => self.check_document(fi, file, doc),
            None => {
                let orphans = [
                    ("provision", c.provisions.len()),
                    ("relation", c.relations.len()),
                    ("link", c.links.len()),
                    ("obligation", c.obligations.len()),
                    ("party", c.parties.len()),
                    ("event", c.events.len()),
                ];
                for (what, n) in orphans {
                    if n > 0 {
                        self.push(
                            &whole,
                            format!("`{what}` records need a `[document]` in the same file"),
                        );
                    }
                }
            }
        }
    }

    fn check_document(&mut self, fi: usize, file: &LoadedFile, doc: &Document) {
        let c = &file.content;
        let loc = Place::document(fi, &doc.id);
        self.id(&doc.id, &loc);
        self.names("title", &doc.title, &loc);
        self.url(&doc.url, &loc);
        if !doc.work_id.starts_with("/akn/") || doc.work_id.contains(char::is_whitespace) {
            self.push(&loc,
                format!(
                    "field `work_id`: `{}` is not an Akoma Ntoso work identifier such as `/akn/kz/act/2011-07-22/477-IV`",
                    doc.work_id
                ),
            );
        }
        self.pending.unique.push(UniqueClaim {
            table: "documents",
            column: "work_id",
            value: doc.work_id.clone(),
            owner: doc.id.clone(),
            location: loc.clone(),
        });
        if let Some(issuer) = &doc.issuer {
            self.reference(RefKind::Agency, issuer, "issuer", &loc);
        }
        self.not_before(&doc.in_force, "in_force", &doc.adopted, "adopted", &loc);
        self.not_before(&doc.repealed, "repealed", &doc.adopted, "adopted", &loc);
        self.not_before(&doc.expires, "expires", &doc.adopted, "adopted", &loc);
        self.not_after_today(doc.adopted, "adopted", &loc);
        self.reference(RefKind::Source, &doc.source, "source", &loc);

        let mut relations = HashSet::new();
        for (i, r) in c.relations.iter().enumerate() {
            let rloc = Place::new(
                fi,
                "relation",
                i,
                format!("relation {} \"{}\"", r.kind, r.target),
            );
            if r.target == doc.id {
                self.push(&rloc, "field `target`: a document cannot relate to itself");
            }
            if !relations.insert((r.kind, r.target.as_str())) {
                self.push(
                    &rloc,
                    format!("duplicate relation `{}` to `{}`", r.kind, r.target),
                );
            }
            self.not_after_today(r.date, "date", &rloc);
            self.reference(RefKind::Document, &r.target, "target", &rloc);
            self.reference(RefKind::Source, &r.source, "source", &rloc);
        }

        let mut parties = HashSet::new();
        for (i, p) in c.parties.iter().enumerate() {
            let ploc = Place::new(fi, "party", i, format!("party \"{}\"", p.partner));
            if !parties.insert(p.partner.as_str()) {
                self.push(&ploc, format!("duplicate party `{}`", p.partner));
            }
            self.reference(RefKind::Partner, &p.partner, "partner", &ploc);
        }
        let mut events = HashSet::new();
        for (i, e) in c.events.iter().enumerate() {
            let eloc = Place::event(fi, e, i);
            if c.parties.is_empty() {
                self.push(
                    &eloc,
                    "an agreement's events need its parties: add `[[party]]` records",
                );
            }
            if let Some(party) = &e.party
                && !parties.contains(party.as_str())
            {
                self.push(
                    &eloc,
                    format!("field `party`: `{party}` is not a party to this agreement"),
                );
            }
            let key = (e.party.as_deref(), e.stage, e.date);
            if !events.insert(key) {
                self.push(
                    &eloc,
                    format!(
                        "duplicate event: {} on {} is already listed",
                        e.stage, e.date
                    ),
                );
            }
            self.not_after_today(Some(e.date), "date", &eloc);
            if e.forced && e.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                self.push(
                    &eloc,
                    "field `forced`: a forced event needs a `note` saying why it stands",
                );
            }
            self.reference(RefKind::Source, &e.source, "source", &eloc);
        }
        let mut eids: HashSet<&str> = HashSet::new();
        for (i, p) in c.provisions.iter().enumerate() {
            let ploc = Place::new(fi, "provision", i, format!("provision \"{}\"", p.eid))
                .key("eid", &p.eid);
            if !valid_eid(&p.eid) {
                self.push(
                    &ploc,
                    format!(
                        "field `eid`: `{}` is not an eId such as `chp_2__art_9__para_1`",
                        p.eid
                    ),
                );
            }
            if eids.contains(p.eid.as_str()) {
                self.push(
                    &ploc,
                    format!("duplicate provision `{}` in this document", p.eid),
                );
            }
            if let (Some(given), Some(implied)) = (p.parent.as_deref(), implied_parent(&p.eid))
                && given != implied
            {
                self.push(
                    &ploc,
                    format!(
                        "field `parent`: `{given}` contradicts the eId, which places this provision under `{implied}`"
                    ),
                );
            }
            let parent = p.parent.as_deref().or_else(|| implied_parent(&p.eid));
            if let Some(parent) = parent
                && !eids.contains(parent)
            {
                self.push(
                    &ploc,
                    format!(
                        "parent provision `{parent}` is not listed above this one in the document"
                    ),
                );
            }
            match (&p.text, &p.text_kind) {
                (Some(_), None) => self.push(
                    &ploc,
                    "field `text_kind`: say whether the text is `summary` or `official`",
                ),
                (None, Some(_)) => self.push(&ploc, "field `text_kind`: there is no `text`"),
                _ => {}
            }
            self.not_before(&p.valid_to, "valid_to", &p.valid_from, "valid_from", &ploc);
            if let Some(src) = &p.source {
                self.reference(RefKind::Source, src, "source", &ploc);
            }
            eids.insert(p.eid.as_str());
        }

        let mut links = HashSet::new();
        for (i, l) in c.links.iter().enumerate() {
            let lloc = Place::new(
                fi,
                "link",
                i,
                format!("link \"{}\" -> \"{}\"", l.provision, l.node),
            );
            if !eids.contains(l.provision.as_str()) {
                self.push(
                    &lloc,
                    format!(
                        "field `provision`: no provision `{}` in this document",
                        l.provision
                    ),
                );
            }
            if !links.insert((l.provision.as_str(), l.node.as_str(), l.kind)) {
                self.push(&lloc, "duplicate link");
            }
            self.reference(RefKind::Node, &l.node, "node", &lloc);
            self.reference(RefKind::Source, &l.source, "source", &lloc);
        }

        // Counts the file's `[[obligation.history]]` headers.
        let mut change = 0;
        for (i, o) in c.obligations.iter().enumerate() {
            let oloc = Place::obligation(fi, i, &o.id);
            self.id(&o.id, &oloc);
            if !eids.contains(o.provision.as_str()) {
                self.push(
                    &oloc,
                    format!(
                        "field `provision`: no provision `{}` in this document",
                        o.provision
                    ),
                );
            }
            if o.action.trim().is_empty() {
                self.push(&oloc, "field `action`: empty action");
            }
            if let Some(r) = &o.recurrence
                && let Err(e) = check_recurrence(r)
            {
                self.push(&oloc, format!("field `recurrence.by`: {e}"));
            }
            self.reference(RefKind::Agency, &o.agency, "agency", &oloc);
            self.reference(RefKind::Source, &o.source, "source", &oloc);
            let mut seen = HashSet::new();
            for h in &o.history {
                if !seen.insert((h.status, h.date)) {
                    self.push(
                        &oloc,
                        format!("duplicate status change: {} on {}", h.status, h.date),
                    );
                }
                let hloc = Place::obligation_change(fi, o, h, change);
                change += 1;
                if h.forced && h.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    self.push(
                        &hloc,
                        "field `forced`: a forced change needs a `note` saying why it stands",
                    );
                }
                self.not_after_today(Some(h.date), "history.date", &oloc);
                self.reference(RefKind::Source, &h.source, "history.source", &oloc);
            }
        }
    }
}

/// `MM-DD` for a yearly duty, `DD` for a monthly one.
pub fn check_recurrence(r: &Recurrence) -> Result<(), String> {
    let num = |s: &str| {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    match r.every {
        Every::Year => {
            let ok =
                r.by.split_once('-')
                    .and_then(|(m, d)| Some((num(m)?, num(d)?)));
            match ok {
                // 2024 is a leap year: 02-29 is a possible yearly deadline.
                Some((m, d)) if chrono::NaiveDate::from_ymd_opt(2024, m, d).is_some() => Ok(()),
                _ => Err(format!(
                    "`{}` is not a day of the year as MM-DD, e.g. 01-15",
                    r.by
                )),
            }
        }
        Every::Month => match num(&r.by) {
            Some(d) if (1..=31).contains(&d) => Ok(()),
            _ => Err(format!(
                "`{}` is not a day of the month as DD, e.g. 10",
                r.by
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_catalog_has_nothing_after_the_system_date() {
        // A store is made from it whatever `--today` says, on the grounds
        // that it holds only what has happened; this keeps that true.
        let catalog = Catalog::bundled().expect("the bundled catalog loads");
        let today = chrono::Local::now().date_naive();
        let (problems, _) = validate(&catalog, Some(today));
        assert!(problems.is_empty(), "{}", problems.into_error());
    }

    #[test]
    fn ids_are_url_safe() {
        assert!(valid_id("kz-law-477-iv"));
        assert!(valid_id("vn"));
        assert!(!valid_id("Law 477"));
        assert!(!valid_id("-x"));
        assert!(!valid_id(""));
        assert!(!valid_id("a/b"));
    }

    #[test]
    fn eids_follow_akoma_ntoso() {
        assert!(valid_eid("chp_2__art_9__para_1"));
        assert!(valid_eid("art_6-1"));
        assert!(valid_eid("art_97__para_1__point_a"));
        assert!(!valid_eid("art9"));
        assert!(!valid_eid("art_9__"));
        assert!(!valid_eid("Art_9"));
        assert_eq!(implied_parent("chp_2__art_9__para_1"), Some("chp_2__art_9"));
        assert_eq!(implied_parent("art_9"), None);
    }

    #[test]
    fn only_web_addresses_are_urls() {
        assert!(valid_url("https://adilet.zan.kz/eng/docs/Z1100000477"));
        assert!(!valid_url("javascript:alert(1)"));
        assert!(!valid_url("JAVASCRIPT://x"));
        assert!(!valid_url("https://a b"));
    }

    #[test]
    fn recurrences_name_a_real_day() {
        let r = |every, by: &str| Recurrence {
            every,
            by: by.into(),
        };
        assert!(check_recurrence(&r(Every::Year, "01-15")).is_ok());
        assert!(check_recurrence(&r(Every::Year, "02-29")).is_ok());
        assert!(check_recurrence(&r(Every::Year, "02-30")).is_err());
        assert!(check_recurrence(&r(Every::Year, "1-15")).is_err());
        assert!(check_recurrence(&r(Every::Month, "10")).is_ok());
        assert!(check_recurrence(&r(Every::Month, "32")).is_err());
    }
}
