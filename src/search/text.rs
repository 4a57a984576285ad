//! Words as search sees them: lower case, accents removed, Dutch stop words
//! dropped, and reduced to their Snowball Dutch stem ("vloggen", "vlogt" and
//! "vlog" all become `vlog`). The page script (`js/zoeken.js`) repeats exactly
//! these steps for what a parent types; `tests/search.rs` runs both over every
//! word of the bundled site and demands the same stems.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

/// Words too common to help find a page. Sent to the page script in the index,
/// so both sides drop the same words.
pub const STOP_WORDS: &[&str] = &[
    "aan", "al", "alle", "als", "ben", "bij", "dan", "dat", "de", "deze", "die", "dit", "doe",
    "doen", "door", "dus", "een", "en", "er", "ga", "gaat", "had", "heb", "hebben", "heeft", "het",
    "hij", "hoe", "ik", "in", "is", "je", "jij", "jou", "jouw", "kan", "kun", "kunnen", "maar",
    "me", "met", "mij", "mijn", "moet", "moeten", "na", "naar", "niet", "nog", "nu", "of", "om",
    "ons", "onze", "ook", "op", "over", "te", "tot", "u", "uit", "van", "veel", "voor", "wat",
    "we", "wel", "welke", "wie", "wij", "wil", "word", "worden", "wordt", "zal", "ze", "zich",
    "zijn", "zo", "zou",
];

/// Lower-case `c` without its accent (é → e, ï → i), as the page script does.
/// Letters outside Latin-1 are only lower-cased.
fn fold(c: char) -> char {
    match c {
        'à'..='å' | 'À'..='Å' => 'a',
        'è'..='ë' | 'È'..='Ë' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' => 'i',
        'ò'..='ö' | 'Ò'..='Ö' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ç' | 'Ç' => 'c',
        'ñ' | 'Ñ' => 'n',
        c if c.is_ascii() => c.to_ascii_lowercase(),
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// The words of `text`, folded: runs of letters and digits. An apostrophe inside
/// a word is dropped ("baby's" → "babys"), as parents type it either way.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || {
        let mut word = String::new();
        while let Some(c) = chars.next() {
            if c.is_alphanumeric() {
                word.push(fold(c));
            } else if matches!(c, '\'' | '’')
                && !word.is_empty()
                && chars.peek().is_some_and(|n| n.is_alphanumeric())
            {
                continue;
            } else if !word.is_empty() {
                return Some(word);
            }
        }
        (!word.is_empty()).then_some(word)
    })
}

/// Call `f` with each word of `text`, as [`words`] yields them, without an
/// allocation per word (indexing a large site reads millions of words). ASCII,
/// nearly all of a Dutch text, is read byte by byte; other characters go
/// through [`fold`] as in [`words`]. `word` is the buffer each word is made
/// in (left empty), so a caller counting many texts allocates it once.
pub fn each_word(text: &str, word: &mut String, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    word.clear();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let apostrophe = if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                // A run of ASCII letters and digits at once, lower-cased in place.
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                let from = word.len();
                word.push_str(&text[start..i]);
                word[from..].make_ascii_lowercase();
                continue;
            }
            i += 1;
            b == b'\''
        } else {
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            if c.is_alphanumeric() {
                word.push(fold(c));
                continue;
            }
            c == '’'
        };
        if apostrophe
            && !word.is_empty()
            && text[i..].chars().next().is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        if !word.is_empty() {
            f(word);
            word.clear();
        }
    }
    if !word.is_empty() {
        f(word);
        word.clear();
    }
}

/// Whether `word` (folded) is too common to search for.
pub fn is_stop_word(word: &str) -> bool {
    // No stop word is longer than six letters: most words are rejected unsearched.
    word.len() <= 6 && STOP_WORDS.binary_search(&word).is_ok()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Three steps after Snowball, which leaves verb forms apart ("vlogt", "vlogg"
/// from "vloggen", "vlog"): a final `t` after another consonant goes, a final
/// double consonant becomes single (all three are now `vlog`), and a double
/// vowel before a final consonant becomes single.
fn finish(mut stem: String) -> String {
    let chars: Vec<char> = stem.chars().collect();
    let n = chars.len();
    if n >= 4 && chars[n - 1] == 't' && !is_vowel(chars[n - 2]) && chars[n - 2] != 't' {
        stem.pop();
    }
    let chars: Vec<char> = stem.chars().collect();
    let n = chars.len();
    if n >= 3
        && chars[n - 1] == chars[n - 2]
        && chars[n - 1].is_alphabetic()
        && !is_vowel(chars[n - 1])
    {
        stem.pop();
    }
    // Snowball's last step again, now that a `t` may be gone: "aanvraag" (from
    // "aanvraagt") → "aanvrag", like "aanvragen".
    let chars: Vec<char> = stem.chars().collect();
    let n = chars.len();
    if n >= 4
        && !is_vowel(chars[n - 1])
        && matches!(chars[n - 2], 'a' | 'e' | 'o' | 'u')
        && chars[n - 2] == chars[n - 3]
        && !is_vowel(chars[n - 4])
    {
        stem.remove(stem.len() - 2);
    }
    stem
}

/// The Snowball Dutch stemmer, with a cache: a site uses a few thousand words
/// a million times, and a lookup is far cheaper than stemming.
pub struct Stems {
    stemmer: Stemmer,
    cache: HashMap<String, String>,
}

impl Default for Stems {
    fn default() -> Self {
        Stems {
            stemmer: Stemmer::create(Algorithm::Dutch),
            cache: HashMap::new(),
        }
    }
}

impl Stems {
    /// The stem of a folded word, not cached: for callers that stem each word once.
    pub fn stem_once(&self, word: &str) -> String {
        finish(self.stemmer.stem(word).into_owned())
    }

    /// The stem of a folded word.
    pub fn stem(&mut self, word: &str) -> &str {
        if !self.cache.contains_key(word) {
            let stem = finish(self.stemmer.stem(word).into_owned());
            self.cache.insert(word.to_string(), stem);
        }
        self.cache.get(word).map_or("", String::as_str)
    }

    /// The stems of the words of `text` that are not stop words.
    pub fn terms(&mut self, text: &str) -> Vec<String> {
        words(text)
            .filter(|w| !is_stop_word(w))
            .map(|w| self.stem(&w).to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 6));
    }

    #[test]
    fn words_fold_accents_and_case() {
        let text = "Één ideeën, baby's en Loot-boxes!";
        let w: Vec<String> = words(text).collect();
        assert_eq!(w, ["een", "ideeen", "babys", "en", "loot", "boxes"]);
        let mut each = Vec::new();
        each_word(text, &mut String::new(), |w| each.push(w.to_string()));
        assert_eq!(each, w);
    }

    #[test]
    fn each_word_reads_as_words_does() {
        for text in [
            "d'r 'quote' baby’s x’ y' ’z Ĳsselmeer ŒUVRE 42km straße Ωmega é",
            "'",
            "a'",
            "’’a’’b",
            "schermtijd—privacy…loot-box",
        ] {
            let w: Vec<String> = words(text).collect();
            let mut each = Vec::new();
            each_word(text, &mut String::new(), |w| each.push(w.to_string()));
            assert_eq!(each, w, "{text}");
        }
    }

    #[test]
    fn dutch_forms_meet_in_one_stem() {
        let mut stems = Stems::default();
        for group in [
            &["vloggen", "vlogt", "vlog"][..],
            &["kinderen", "kinder"],
            &["ontheffing", "ontheffingen"],
            &["telefoon", "telefoons"],
            &["aanvragen", "aanvraagt", "aanvraag"],
            &["spelen", "speelt", "speel"],
        ] {
            let first = stems.stem(group[0]).to_string();
            for w in group {
                assert_eq!(stems.stem(w), first, "{w} should stem like {}", group[0]);
            }
        }
        assert_eq!(
            stems.terms("Hoe vloggen wij met de kinderen?"),
            ["vlog", "kinder"]
        );
    }
}
