//! Turning a name someone typed into an agency or a partner.
//!
//! People do not type IDs: they type "MIA", "Министерство труда", "Vietnam"
//! or "VN". Every name a record has (ID, names in each language,
//! abbreviation, aliases, ISO code) is a key; a query matches a key when the
//! two are equal after Unicode lowercasing, trimming, collapsing spaces and
//! reading `ё` as `е`. When nothing matches, the closest keys are offered.

/// A record that can be named, with every key it answers to.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: String,
    /// The keys as written in the catalog (shown in suggestions).
    pub keys: Vec<String>,
}

/// The outcome of resolving a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Found(String),
    /// More than one record answers to the name: their IDs.
    Ambiguous(Vec<String>),
    /// Nothing answers; the closest keys, best first (at most three).
    NotFound(Vec<String>),
}

/// The form keys are compared in.
pub fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ё', "е")
}

/// Resolves `query` among `candidates`.
pub fn resolve(query: &str, candidates: &[Candidate]) -> Resolution {
    let q = normalize(query);
    let mut found: Vec<&str> = candidates
        .iter()
        .filter(|c| c.keys.iter().any(|k| normalize(k) == q))
        .map(|c| c.id.as_str())
        .collect();
    found.dedup();
    // An ID is unambiguous even if it is also someone's alias.
    if let Some(exact) = candidates.iter().find(|c| c.id == query.trim()) {
        return Resolution::Found(exact.id.clone());
    }
    match found.as_slice() {
        [one] => return Resolution::Found((*one).to_owned()),
        [] => {}
        many => return Resolution::Ambiguous(many.iter().map(|s| (*s).to_owned()).collect()),
    }
    Resolution::NotFound(suggestions(&q, candidates))
}

/// The keys closest to `query` (at most three, best first), for an ID that
/// has to match exactly and did not.
pub fn closest(query: &str, candidates: &[Candidate]) -> Vec<String> {
    suggestions(&normalize(query), candidates)
}

/// The keys closest to `q`: keys that contain it (or that it contains)
/// first, then by edit similarity; one key per record, at most three.
///
/// Jaro-Winkler rewards a short key whose few letters all occur early in
/// a long query (`ma` for `mig-art9-visas` scores 0.74), so it counts only
/// between lengths within a factor of two of each other; edit similarity
/// is a share of the longer length, so it needs no such guard. Likewise
/// containment counts only when the contained text has three letters or
/// more.
fn suggestions(q: &str, candidates: &[Candidate]) -> Vec<String> {
    let q_len = q.chars().count();
    let mut scored: Vec<(f64, &str)> = Vec::new();
    for c in candidates {
        let best = c
            .keys
            .iter()
            .filter(|k| !k.trim().is_empty())
            .map(|k| {
                let n = normalize(k);
                let n_len = n.chars().count();
                let mut score = strsim::normalized_damerau_levenshtein(q, &n);
                if q_len.min(n_len) * 2 >= q_len.max(n_len) {
                    score = score.max(strsim::jaro_winkler(q, &n) - 0.1);
                }
                if (q_len >= 3 && n.contains(q)) || (n_len >= 3 && q.contains(n.as_str())) {
                    score += 1.0;
                }
                (score, k.as_str())
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((score, key)) = best
            && score >= 0.6
        {
            scored.push((score, key));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, key) in scored {
        if !out.iter().any(|k| k == key) {
            out.push(key.to_owned());
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates() -> Vec<Candidate> {
        vec![
            Candidate {
                id: "mol".into(),
                keys: vec![
                    "mol".into(),
                    "Ministry of Labour".into(),
                    "Министерство труда".into(),
                    "MOL".into(),
                    "Labour Ministry".into(),
                ],
            },
            Candidate {
                id: "mia".into(),
                keys: vec![
                    "mia".into(),
                    "Ministry of Internal Affairs".into(),
                    "MIA".into(),
                    "МВД".into(),
                ],
            },
            Candidate {
                id: "vn".into(),
                keys: vec![
                    "vn".into(),
                    "Viet Nam".into(),
                    "Vietnam".into(),
                    "VN".into(),
                ],
            },
        ]
    }

    #[test]
    fn matches_any_key_ignoring_case_and_spacing() {
        let c = candidates();
        assert_eq!(resolve("mol", &c), Resolution::Found("mol".into()));
        assert_eq!(
            resolve("  ministry  of LABOUR ", &c),
            Resolution::Found("mol".into())
        );
        assert_eq!(
            resolve("министерство ТРУДА", &c),
            Resolution::Found("mol".into())
        );
        assert_eq!(resolve("мвд", &c), Resolution::Found("mia".into()));
        assert_eq!(resolve("VIETNAM", &c), Resolution::Found("vn".into()));
    }

    #[test]
    fn suggests_the_closest_names() {
        let c = candidates();
        match resolve("Ministry of Labor", &c) {
            Resolution::NotFound(s) => {
                assert_eq!(s.first().map(String::as_str), Some("Ministry of Labour"))
            }
            other => panic!("{other:?}"),
        }
        match resolve("Vietnamm", &c) {
            Resolution::NotFound(s) => assert_eq!(s, vec!["Vietnam".to_owned()]),
            other => panic!("{other:?}"),
        }
        assert_eq!(resolve("zzzzzz", &c), Resolution::NotFound(vec![]));
        // A long ID is not like a two-letter code that shares its first
        // letters (it used to suggest `MIA`).
        assert_eq!(closest("mig-art9-visas", &c), Vec::<String>::new());
        assert_eq!(closest("vietnam-fta", &c), vec!["Vietnam".to_owned()]);
        assert_eq!(closest("MOL", &c), vec!["MOL".to_owned()]);
    }

    #[test]
    fn a_shared_alias_is_ambiguous() {
        let mut c = candidates();
        c[1].keys.push("Labour Ministry".into());
        assert_eq!(
            resolve("labour ministry", &c),
            Resolution::Ambiguous(vec!["mol".into(), "mia".into()])
        );
    }
}
