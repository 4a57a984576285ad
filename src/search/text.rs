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

/// A word as [`each_word`] hands it over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word<'a> {
    /// A word of at most 16 bytes (nearly all), folded, as one number: its
    /// bytes in order from the lowest, the rest zero (no word has a NUL byte,
    /// so two words never share a number). See [`short_key`].
    Short(u128),
    /// A longer word, folded.
    Long(&'a str),
}

/// The number a word of at most 16 bytes is as a [`Word::Short`].
pub fn short_key(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    (bytes.len() <= 16).then(|| {
        let mut key = [0u8; 16];
        key[..bytes.len()].copy_from_slice(bytes);
        u128::from_le_bytes(key)
    })
}

/// The text of a [`Word::Short`] number.
pub fn short_text(key: u128) -> String {
    let bytes = key.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(16);
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

/// Bytes that are an ASCII letter or digit.
static ALNUM: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// Call `f` with each word of `text`, as [`words`] yields them, without an
/// allocation per word (indexing a large site reads millions of words). A run
/// of ASCII letters and digits, nearly every Dutch word, is read as one
/// number straight from the text (its end found eight bytes at a time, then
/// lower-cased 16 bytes at once); a word with other letters, an apostrophe or
/// next to non-ASCII punctuation (smart quotes, dashes) is made by [`words`]. `buffer`
/// is where an ASCII word longer than 16 bytes is lower-cased, so a caller
/// counting many texts allocates it once.
pub fn each_word(text: &str, buffer: &mut String, mut f: impl FnMut(Word<'_>)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        if !ALNUM[usize::from(b)] && b.is_ascii() && b != b'\'' {
            i += 1;
            continue;
        }
        let start = i;
        // Eight bytes at a time while they are all letters and digits, then
        // the rest of the word: one step for most words, not one per byte.
        while let Some(eight) = bytes.get(i..i + 8) {
            let run = alnum_run(u64::from_le_bytes([
                eight[0], eight[1], eight[2], eight[3], eight[4], eight[5], eight[6], eight[7],
            ]));
            i += run;
            if run < 8 {
                break;
            }
        }
        while i < n && ALNUM[usize::from(bytes[i])] {
            i += 1;
        }
        if i > start && (i == n || (bytes[i].is_ascii() && bytes[i] != b'\'')) {
            f(ascii_word(bytes, start, i, buffer));
            continue;
        }
        // Other letters or an apostrophe: the whole run up to the next ASCII
        // byte that is neither a letter, a digit nor an apostrophe (which
        // joins no two words), the slow way.
        while i < n && (ALNUM[usize::from(bytes[i])] || !bytes[i].is_ascii() || bytes[i] == b'\'') {
            i += 1;
        }
        folded_words(&text[start..i], &mut f);
    }
}

/// How many of the eight bytes of `x` (the first in its lowest bits) are,
/// from the first, ASCII letters or digits.
#[inline]
fn alnum_run(x: u64) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = x & !HIGH;
    // The high bit of each byte set where that byte (as 7 bits) is at least
    // `c`: no sum reaches the next byte.
    let at_least = |v: u64, c: u8| (v + ONES * u64::from(0x80 - c)) & HIGH;
    let digit = at_least(low, b'0') & !at_least(low, b'9' + 1);
    let folded = low | (ONES * 0x20);
    let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    let alnum = (digit | letter) & !x & HIGH;
    ((!alnum & HIGH).trailing_zeros() / 8) as usize
}

/// The word `bytes[start..end]`, all ASCII letters and digits.
#[inline]
fn ascii_word<'b>(bytes: &[u8], start: usize, end: usize, buffer: &'b mut String) -> Word<'b> {
    let len = end - start;
    if len > 16 {
        buffer.clear();
        buffer.extend(
            bytes[start..end]
                .iter()
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return Word::Long(buffer);
    }
    let mut raw = [0u8; 16];
    match bytes.get(start..start + 16) {
        Some(sixteen) => raw.copy_from_slice(sixteen),
        None => raw[..len].copy_from_slice(&bytes[start..end]),
    }
    let keep = if len == 16 {
        u128::MAX
    } else {
        (1u128 << (8 * len)) - 1
    };
    let key = u128::from_le_bytes(raw) & keep;
    // Letters and digits only: a capital is a byte with 0x40 set and 0x20 not.
    const BIT_40: u128 = 0x4040_4040_4040_4040_4040_4040_4040_4040;
    const BIT_20: u128 = 0x2020_2020_2020_2020_2020_2020_2020_2020;
    Word::Short(key | ((key & BIT_40) >> 1 & !key & BIT_20))
}

/// The words of `text` the slow way, as [`words`] makes them (rare: words
/// with other letters than ASCII, or an apostrophe).
fn folded_words(text: &str, f: &mut impl FnMut(Word<'_>)) {
    for word in words(text) {
        match short_key(&word) {
            Some(key) => f(Word::Short(key)),
            None => f(Word::Long(&word)),
        }
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
    if stem.is_ascii() {
        // Nearly every stem: on its bytes, without a copy.
        let (n, undouble) = finish_steps(stem.as_bytes());
        stem.truncate(n);
        if undouble {
            stem.remove(n - 2);
        }
        return stem;
    }
    let mut chars: Vec<char> = stem.chars().collect();
    let (n, undouble) = finish_steps(&chars);
    chars.truncate(n);
    if undouble {
        chars.remove(n - 2);
    }
    chars.into_iter().collect()
}

/// [`finish`] on letters: how many stay, and whether the one before the last
/// goes then.
fn finish_steps<T: Copy + Into<char>>(letters: &[T]) -> (usize, bool) {
    let at = |i: usize| -> char { letters[i].into() };
    let mut n = letters.len();
    if n >= 4 && at(n - 1) == 't' && !is_vowel(at(n - 2)) && at(n - 2) != 't' {
        n -= 1;
    }
    if n >= 3 && at(n - 1) == at(n - 2) && at(n - 1).is_alphabetic() && !is_vowel(at(n - 1)) {
        n -= 1;
    }
    // Snowball's last step again, now that a `t` may be gone: "aanvraag" (from
    // "aanvraagt") → "aanvrag", like "aanvragen".
    let undouble = n >= 4
        && !is_vowel(at(n - 1))
        && matches!(at(n - 2), 'a' | 'e' | 'o' | 'u')
        && at(n - 2) == at(n - 3)
        && !is_vowel(at(n - 4));
    (n, undouble)
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
        assert_eq!(each_words(text), w);
    }

    fn each_words(text: &str) -> Vec<String> {
        let mut each = Vec::new();
        each_word(text, &mut String::new(), |w| {
            each.push(match w {
                Word::Short(key) => short_text(key),
                Word::Long(word) => word.to_string(),
            })
        });
        each
    }

    #[test]
    fn each_word_reads_as_words_does() {
        for text in [
            "d'r 'quote' baby’s x’ y' ’z Ĳsselmeer ŒUVRE 42km straße Ωmega é",
            "'",
            "a'",
            "’’a’’b",
            "schermtijd—privacy…loot-box",
            "ABCDEFGHIJKLMNOP ABCDEFGHIJKLMNOPQ Zz09 aZ@[`{ Kinder'en x'Y",
            "heel-lange-woorden-zoals-kinderarbeidsverbod KINDERARBEIDSVERBOD",
            "ÉÉN'S café’s d’r x",
            "1234567890123456",
            "A",
        ] {
            let w: Vec<String> = words(text).collect();
            assert_eq!(each_words(text), w, "{text}");
        }
    }

    #[test]
    fn alnum_run_reads_eight_bytes_as_the_table_does() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = *b"abcdefgh";
                bytes[at] = b;
                let expect = if ALNUM[usize::from(b)] { 8 } else { at };
                assert_eq!(
                    alnum_run(u64::from_le_bytes(bytes)),
                    expect,
                    "{b:#x} at {at}"
                );
            }
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
