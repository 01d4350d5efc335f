//! Small values that templates show: text in a language with its fallback
//! marker, page context, paths from IDs, and links that are safe to follow.

use crate::catalog::model::{Lang, Localized};

/// The language the site's own words (headings, labels) are written in.
pub const CHROME_LANG: Lang = Lang::En;

/// A piece of catalog text in the language asked for, or in another one
/// when that is missing (`fallback`), with the language it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub text: String,
    /// The language the text is in, when it differs from the page's, for a
    /// `lang` attribute.
    pub lang: Option<&'static str>,
    /// Set when the text is not in the language asked for.
    pub fallback: bool,
}

impl Text {
    /// `names` in `lang`, falling back to another language, then to `id`.
    pub fn pick(names: &Localized, lang: Lang, id: &str) -> Text {
        match names.get(lang) {
            Some((text, used)) => Text {
                text: text.to_owned(),
                lang: (used != CHROME_LANG).then_some(used.as_str()),
                fallback: used != lang,
            },
            None => Text {
                text: id.to_owned(),
                lang: None,
                fallback: false,
            },
        }
    }

    pub fn plain(text: impl Into<String>) -> Text {
        Text {
            text: text.into(),
            lang: None,
            fallback: false,
        }
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// What every page passes to `_layout.html`.
#[derive(Debug, Clone)]
pub struct Page {
    /// The `<html lang>`: the language of the site's own words.
    pub lang: &'static str,
    /// The way back to the site's root from this page: `""` or `"../"`;
    /// for the 404 page, which a server shows at any depth, the base URL
    /// when there is one.
    pub root: std::borrow::Cow<'static, str>,
    /// The page's title, plain text.
    pub title: String,
    /// The absolute address of the page, when `--base-url` is given.
    pub canonical: Option<String>,
    /// Which top-level section the page belongs to, for `aria-current`.
    pub nav: &'static str,
}

/// A file name for an ID: IDs are lowercase letters, digits, `.`, `_` and
/// `-`, which pass through; anything else (never from a valid import) is
/// written as `~XX` so that a name can never leave its folder.
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    push_slug(&mut out, id);
    out
}

/// Appends [`slug`] of `id` to `out`, without a string of its own (the
/// search index names a page per entry).
pub fn push_slug(out: &mut String, id: &str) {
    push_escaped(out, id, false);
}

/// The fragment that names a provision on its document's page: its eId
/// itself (`art_97__para_1`, `art_9A`), which is what a reader cites.
/// Unlike file names, fragments are case-sensitive everywhere, so capitals
/// pass through; anything a valid eId cannot hold is written as `~XX`.
pub fn anchor(eid: &str) -> String {
    let mut out = String::with_capacity(eid.len());
    push_anchor(&mut out, eid);
    out
}

/// Appends [`anchor`] of `eid` to `out`.
pub fn push_anchor(out: &mut String, eid: &str) {
    push_escaped(out, eid, true);
}

fn push_escaped(out: &mut String, id: &str, capitals: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    if id.is_empty() {
        out.push('~');
        return;
    }
    // Runs of bytes that pass through are copied whole; they are ASCII, so
    // they start and end on character boundaries.
    let mut run = 0;
    for (i, b) in id.bytes().enumerate() {
        let ok = b.is_ascii_lowercase()
            || b.is_ascii_digit()
            || (capitals && b.is_ascii_uppercase())
            || b == b'_'
            || b == b'-'
            || (b == b'.' && i > 0);
        if !ok {
            if run < i {
                out.push_str(&id[run..i]);
            }
            out.push('~');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xF)] as char);
            run = i + 1;
        }
    }
    if run < id.len() {
        out.push_str(&id[run..]);
    }
}

/// The address of a link to the outside world, only when it is http(s):
/// anything else (`javascript:`, `data:`…) is shown as text, never linked.
pub fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(url)
}

/// A provision's place in its document for reading, from its eId:
/// `art_96__para_1` → `art. 96 para 1`, `chp_2__sec_3` → `ch. 2 sec. 3`.
/// Unlike a provision's own number ("1"), it tells apart the first
/// paragraphs of different articles. Element names the Akoma Ntoso
/// abbreviations do not cover are kept as they are.
pub fn provision_label(eid: &str) -> String {
    let mut out = String::with_capacity(eid.len() + 8);
    for part in eid.split("__") {
        if !out.is_empty() {
            out.push(' ');
        }
        match part.split_once('_') {
            Some((abbr, num)) => {
                out.push_str(match abbr {
                    "art" => "art.",
                    "chp" => "ch.",
                    "sec" => "sec.",
                    "subsec" => "subsec.",
                    "prt" => "part",
                    "tit" => "title",
                    "subpara" => "subpara",
                    "para" => "para",
                    other => other,
                });
                out.push(' ');
                out.push_str(num);
            }
            None => out.push_str(part),
        }
    }
    out
}

/// Words for a stored enum value: `in_force` → `in force`.
pub fn label(value: &str) -> String {
    value.replace('_', " ")
}

/// A number for reading: `18014200` → `18 014 200`, `1234.5` → `1 234.5`.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let neg = v < 0.0;
    let a = v.abs();
    let whole = a.trunc() as u64;
    let frac = a - a.trunc();
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{202F}');
        }
        grouped.push(c);
    }
    let mut out = String::new();
    if neg {
        out.push('−');
    }
    out.push_str(&grouped);
    if frac > 0.0 {
        let f = format!("{:.2}", frac);
        let f = f.trim_start_matches('0').trim_end_matches('0');
        if f != "." {
            out.push_str(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_never_leave_the_folder() {
        assert_eq!(slug("kz-law-477-iv"), "kz-law-477-iv");
        assert_eq!(slug("art_97__para_1"), "art_97__para_1");
        assert_eq!(slug("../x"), "~2E.~2Fx");
        assert_eq!(slug("a/b"), "a~2Fb");
        assert_eq!(slug(""), "~");
        assert_eq!(slug("é.x"), "~C3~A9.x");
        assert_eq!(slug(".Ab"), "~2E~41b");
    }

    #[test]
    fn anchors_are_the_eids_readers_cite() {
        assert_eq!(anchor("art_97__para_1"), "art_97__para_1");
        // Capitals name a different place and stay as they are.
        assert_eq!(anchor("art_9A__para_1"), "art_9A__para_1");
        assert_ne!(anchor("art_9A"), anchor("art_9a"));
        // What no eId holds still cannot break out of the fragment.
        assert_eq!(anchor("a\"><b"), "a~22~3E~3Cb");
        assert_eq!(anchor(""), "~");
    }

    #[test]
    fn only_http_links_are_followed() {
        assert!(safe_url("https://adilet.zan.kz/x").is_some());
        assert!(safe_url("javascript:alert(1)").is_none());
        assert!(safe_url(" JavaScript:alert(1)").is_none());
        assert!(safe_url("data:text/html,x").is_none());
        assert!(safe_url("https://a b").is_none());
    }

    #[test]
    fn provision_labels_name_every_level() {
        assert_eq!(provision_label("art_96__para_1"), "art. 96 para 1");
        assert_eq!(provision_label("art_11__subpara_9"), "art. 11 subpara 9");
        assert_eq!(provision_label("art_6-1"), "art. 6-1");
        assert_eq!(
            provision_label("chp_2__sec_3__point_a"),
            "ch. 2 sec. 3 point a"
        );
        assert_eq!(provision_label("preamble"), "preamble");
    }

    #[test]
    fn falls_back_visibly() {
        let names = Localized {
            en: None,
            ru: Some("Закон".into()),
            kk: None,
        };
        let t = Text::pick(&names, Lang::En, "x");
        assert_eq!(t.text, "Закон");
        assert!(t.fallback);
        assert_eq!(t.lang, Some("ru"));
    }
}
