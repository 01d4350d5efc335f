//! Which parts of the search index may hold a word: one Bloom filter per
//! part over the trigrams (three characters in a row) of its entries'
//! lowercased titles and texts.
//!
//! The search page matches every word typed as a substring of an entry's
//! title or text. A part that holds a word holds each of its trigrams, so
//! a part whose filter lacks any of them cannot match and is never
//! fetched: at national scale a rare word reads a few parts instead of all
//! of them. Words of fewer than three characters say nothing, and a filter
//! may say yes wrongly (a part read for nothing), never no wrongly, with
//! one exception: both sides lowercase by their own Unicode tables, so a
//! character whose case pair is newer than one of them (Unicode 16's, in
//! an older browser) may be lowercased on one side only.
//!
//! `templates/assets/search.js` repeats the hashing below; the two must
//! agree bit for bit, which the browser test checks by finding a
//! provision through the filters.
//!
//! The hash of a trigram: FNV-1a over its three code points (a final
//! sigma `ς` counted as `σ`, since browsers lowercase `Σ` by its place in
//! the word and Rust here by the character alone), then murmur3's
//! finalizer. Bit `i` of `k` is `(h + i × (rotl(h, 16) | 1)) mod m`, with
//! `m` a power of two, and the filter is stored as bytes, bit `p` in byte
//! `p / 8` at `1 << (p % 8)`.

use base64::Engine;

/// Bits set per trigram.
const K: u32 = 3;
/// Bits a filter starts with, and the most it keeps: it is folded down to
/// its size afterwards. 16 KiB a part caps the table of contents the
/// search page loads first at about 22 KB of base64 per 5,000 entries (5
/// MB at 100,000 documents, against 329 MB of index), at the price of
/// more wrong yeses in parts of very varied text.
const START_BITS: usize = 1 << 17;
/// The smallest filter kept.
const MIN_BITS: usize = 512;
/// A filter is folded in half while at most this share of the half's
/// bits would be set (a wrong yes for a trigram then at most 0.4³, 6 %;
/// for a word of five letters and three trigrams, well under 1 %). A
/// filter left at [`START_BITS`] may be fuller than that.
const MAX_FILL: f64 = 0.4;

/// A Bloom filter of trigrams.
pub struct TrigramFilter {
    bytes: Vec<u8>,
}

impl Default for TrigramFilter {
    fn default() -> Self {
        TrigramFilter {
            bytes: vec![0; START_BITS / 8],
        }
    }
}

impl TrigramFilter {
    /// Adds every trigram of `text`, lowercased.
    pub fn add(&mut self, text: &str) {
        let mask = (self.bytes.len() * 8 - 1) as u32;
        let bytes = &mut self.bytes;
        each_trigram(text, |h| {
            for p in positions(h, mask) {
                bytes[(p / 8) as usize] |= 1 << (p % 8);
            }
            true
        });
    }

    /// Whether a text holding `word` (lowercased) as a substring may have
    /// been added: what search.js asks of a part's filter.
    #[cfg(test)]
    pub fn may_contain(&self, word: &str) -> bool {
        let mask = (self.bytes.len() * 8 - 1) as u32;
        each_trigram(word, |h| {
            positions(h, mask).all(|p| self.bytes[(p / 8) as usize] & (1 << (p % 8)) != 0)
        })
    }

    /// The filter folded to its size: halves are merged (bit `p` of the
    /// half is bit `p` or bit `p + m/2` of the whole, which is where
    /// `mod m/2` puts both) while the result stays sparse enough.
    pub fn shrink(mut self) -> Self {
        while self.bytes.len() * 8 > MIN_BITS {
            let half = self.bytes.len() / 2;
            let ones: u32 = (0..half)
                .map(|i| (self.bytes[i] | self.bytes[i + half]).count_ones())
                .sum();
            if f64::from(ones) > MAX_FILL * (half * 8) as f64 {
                break;
            }
            for i in 0..half {
                self.bytes[i] |= self.bytes[i + half];
            }
            self.bytes.truncate(half);
        }
        self
    }

    /// The filter's bytes in base64, as the table of contents lists it.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.bytes)
    }
}

/// Calls `each` with the hash of every trigram of `text` lowercased, as
/// long as it returns true; returns false if it returned false.
fn each_trigram(text: &str, mut each: impl FnMut(u32) -> bool) -> bool {
    let mut window = [0u32; 2];
    let mut seen = 0;
    let mut push = |cp: u32| -> bool {
        let cp = if cp == 0x3C2 { 0x3C3 } else { cp };
        let go = seen < 2 || each(hash(window[0], window[1], cp));
        window = [window[1], cp];
        seen += 1;
        go
    };
    for c in text.chars() {
        if c.is_ascii() {
            if !push(u32::from(c.to_ascii_lowercase())) {
                return false;
            }
        } else {
            for l in c.to_lowercase() {
                if !push(u32::from(l)) {
                    return false;
                }
            }
        }
    }
    true
}

fn hash(a: u32, b: u32, c: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for cp in [a, b, c] {
        h = (h ^ cp).wrapping_mul(0x0100_0193);
    }
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

fn positions(h: u32, mask: u32) -> impl Iterator<Item = u32> {
    let step = h.rotate_left(16) | 1;
    (0..K).map(move |i| h.wrapping_add(i.wrapping_mul(step)) & mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(texts: &[&str]) -> TrigramFilter {
        let mut f = TrigramFilter::default();
        for t in texts {
            f.add(t);
        }
        f.shrink()
    }

    #[test]
    fn every_substring_of_what_was_added_may_be_there() {
        let texts = [
            "Law On Migration of the Population, art_97__para_1",
            "Закон «О миграции населения» — Көші-қон туралы заң",
            "ΟΔΟΣ and Σίσυφος",
        ];
        let f = filter(&texts);
        for t in texts {
            let lower = t.to_lowercase();
            let chars: Vec<char> = lower.chars().collect();
            for i in 0..chars.len() {
                for j in i + 1..=chars.len() {
                    let word: String = chars[i..j].iter().collect();
                    assert!(f.may_contain(&word), "{word:?} of {t:?}");
                }
            }
            // Typed in capitals, as the page lowercases it.
            assert!(f.may_contain(&t.to_uppercase().to_lowercase()), "{t:?}");
        }
    }

    #[test]
    fn words_not_added_are_mostly_refused() {
        let f = filter(&["Law On Migration of the Population", "art_97 kz-mia"]);
        for word in ["quota", "treaty", "art_98", "kz-mfa", "партнёр", "виза"] {
            assert!(!f.may_contain(word), "{word}");
        }
        // Too short to say anything about.
        assert!(f.may_contain("zz"));
        assert!(f.may_contain(""));
    }

    #[test]
    fn a_filter_shrinks_to_its_contents_and_stays_sparse() {
        let small = filter(&["visa"]);
        assert_eq!(small.bytes.len() * 8, MIN_BITS);
        let mut big = TrigramFilter::default();
        for i in 0..4_000 {
            big.add(&format!("provision {i:05} of document {}", i * 7919));
        }
        let big = big.shrink();
        let bits = big.bytes.len() * 8;
        assert!(bits > MIN_BITS && bits < START_BITS, "{bits} bits");
        let ones: u32 = big.bytes.iter().map(|b| b.count_ones()).sum();
        assert!(
            f64::from(ones) <= MAX_FILL * bits as f64,
            "{ones} of {bits}"
        );
        // Folding lost nothing.
        assert!(big.may_contain("provision 01234"));
        assert!(big.may_contain(&format!("document {}", 3_999 * 7919)));
    }

    #[test]
    fn the_hash_is_fixed() {
        // search.js computes the same numbers; a change here must be made
        // there too (and the other way round).
        assert_eq!(
            hash(u32::from('a'), u32::from('b'), u32::from('c')),
            HASH_ABC
        );
        let b64 = filter(&["abc"]).to_base64();
        assert_eq!(b64.len(), (MIN_BITS / 8).div_ceil(3) * 4);
    }

    /// The hash of `abc`, as search.js's `hash(97, 98, 99)` computed it in
    /// Node.
    const HASH_ABC: u32 = 482_950_588;
}
