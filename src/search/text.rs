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
pub(crate) fn fold(c: char) -> char {
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
/// allocation per word (indexing a large site reads millions of words).
///
/// The text is read 64 bytes at a time as two bit masks (see [`masks`]): the
/// bytes that can be part of a word (ASCII letters and digits, non-ASCII bytes
/// and apostrophes), and of those the ones that are not plain ASCII letters
/// or digits. Words are the runs of the first mask, found with bit counts, not
/// a branch per byte. A run of ASCII letters and digits, nearly every Dutch
/// word, is read as one number straight from the text and lower-cased 16
/// bytes at once; a run with other letters or an apostrophe is made by
/// [`words`]. `buffer` is where an ASCII word longer than 16 bytes is
/// lower-cased, so a caller counting many texts allocates it once.
pub fn each_word(text: &str, buffer: &mut String, f: impl FnMut(Word<'_>)) {
    each_word_in(text, 0..text.len(), buffer, f);
}

/// [`each_word`] of `text[range]`, reading `text` around it.
pub fn each_word_in(
    text: &str,
    range: std::ops::Range<usize>,
    buffer: &mut String,
    mut f: impl FnMut(Word<'_>),
) {
    walk::<false>(text, range, buffer, |item| {
        if let InHtml::Word(word, _) = item {
            f(word);
        }
    });
}

/// What [`each_html_word`] finds in rendered HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InHtml<'a> {
    /// A word, and whether it is in a heading (`<h1>` to `<h6>`).
    Word(Word<'a>, bool),
    /// A heading ended.
    HeadingEnd,
}

/// Call `f` with each word of rendered HTML, whether it is in a heading, and
/// each heading's end. Tags and character references are not words and end
/// one (`&amp;` is not the word "amp"; an `&` without a `;` close by is just a
/// character). One pass with [`each_word`]'s bit masks, which also mark every
/// `<` and `&`: the text between tags is not walked again piece by piece.
pub fn each_html_word(html: &str, buffer: &mut String, f: impl FnMut(InHtml<'_>)) {
    walk::<true>(html, 0..html.len(), buffer, f);
}

/// The words of `text[range]` (see [`each_word`]); with `HTML`, of rendered
/// HTML (see [`each_html_word`]).
fn walk<const HTML: bool>(
    text: &str,
    range: std::ops::Range<usize>,
    buffer: &mut String,
    mut f: impl FnMut(InHtml<'_>),
) {
    let bytes = text.as_bytes();
    let n = range.end.min(bytes.len());
    let mut i = range.start;
    let mut heading = false;
    while i < n {
        let block = &bytes[i..bytes.len().min(i + 64)];
        let (mut runs, special, mut marks, closes) = masks::<HTML>(block);
        if n - i < 64 {
            let keep = (1u64 << (n - i)) - 1;
            runs &= keep;
            marks &= keep;
        }
        let full = i + 64 < n;
        loop {
            // Words before the first tag or reference left in the block (none
            // crosses it: `<` and `&` are in no word).
            let stop = marks.trailing_zeros() as usize;
            let before = runs & run_bits(0, stop);
            if before != 0 {
                let start = before.trailing_zeros() as usize;
                let end = start + (!(before >> start)).trailing_zeros() as usize;
                if end == 64 && full {
                    if start > 0 {
                        // The run may go on in the next block: read it from there.
                        i += start;
                        break;
                    }
                    // A run longer than a block (rare): found byte by byte.
                    let mut last = i + 64;
                    while last < n && in_run(bytes[last]) {
                        last += 1;
                    }
                    run(text, i, last, buffer, &mut |w| f(InHtml::Word(w, heading)));
                    i = last;
                    break;
                }
                if special & run_bits(start, end) == 0 {
                    f(InHtml::Word(
                        ascii_word(bytes, i + start, i + end, buffer),
                        heading,
                    ));
                } else {
                    folded_words(&text[i + start..i + end], &mut |w| {
                        f(InHtml::Word(w, heading))
                    });
                }
                runs &= !run_bits(0, end);
                continue;
            }
            if stop >= 64 {
                i += 64;
                break;
            }
            // A tag or a character reference: skip it.
            let at = i + stop;
            let end = if bytes[at] == b'<' {
                // The first `>` after it: in this block, or found further on.
                let end = match closes >> stop {
                    0 => memchr::memchr(b'>', &bytes[at..n]).map_or(n, |e| at + e + 1),
                    after => at + after.trailing_zeros() as usize + 1,
                };
                let tag = &bytes[at..end];
                if tag.len() > 3 && tag.starts_with(b"<h") && tag[2].is_ascii_digit() {
                    heading = true;
                } else if tag.starts_with(b"</h") {
                    heading = false;
                    f(InHtml::HeadingEnd);
                }
                end
            } else {
                // Only a `;` close by ends a reference (`&` alone is just text).
                let near = &bytes[at..n.min(at + 10)];
                near.iter()
                    .position(|&b| b == b';')
                    .map_or(at + 1, |e| at + e + 1)
            };
            if end >= i + 64 {
                i = end;
                break;
            }
            let skipped = run_bits(0, end - i);
            runs &= !skipped;
            marks &= !skipped;
        }
    }
}

/// The bits `start..end` (`end` at most 64) of a mask.
#[inline]
fn run_bits(start: usize, end: usize) -> u64 {
    let upto = if end >= 64 {
        u64::MAX
    } else {
        (1u64 << end) - 1
    };
    upto & !((1u64 << start) - 1)
}

/// Whether byte `b` can be part of a word: an ASCII letter or digit, a
/// non-ASCII byte, or an apostrophe (what [`masks`] marks).
fn in_run(b: u8) -> bool {
    ALNUM[usize::from(b)] || !b.is_ascii() || b == b'\''
}

/// A run of `text[start..end]` that may hold other letters than ASCII.
fn run(text: &str, start: usize, end: usize, buffer: &mut String, f: &mut impl FnMut(Word<'_>)) {
    let bytes = &text.as_bytes()[start..end];
    if bytes.iter().all(|&b| ALNUM[usize::from(b)]) {
        f(ascii_word(text.as_bytes(), start, end, buffer));
    } else {
        folded_words(&text[start..end], f);
    }
}

/// Masks of up to 64 bytes (bit `k` for `block[k]`): the bytes that can be
/// part of a word ([`in_run`]), the bytes that are that but not an ASCII
/// letter or digit, and with `HTML` every `<` and `&`, and every `>` (else
/// none). Sixteen
/// bytes at a time with SSE2 (every x86-64 processor has it), eight at a time
/// elsewhere.
#[inline]
fn masks<const HTML: bool>(block: &[u8]) -> (u64, u64, u64, u64) {
    let mut padded = [0u8; 64];
    let bytes: &[u8; 64] = match block.try_into() {
        Ok(bytes) => bytes,
        Err(_) => {
            let len = block.len().min(64);
            padded[..len].copy_from_slice(&block[..len]);
            &padded
        }
    };
    #[cfg(target_arch = "x86_64")]
    {
        masks_sse2::<HTML>(bytes)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        masks_swar::<HTML>(bytes)
    }
}

/// [`masks`] with SSE2, on 64 bytes (zero bytes are in no word).
#[cfg(target_arch = "x86_64")]
#[inline]
fn masks_sse2<const HTML: bool>(bytes: &[u8; 64]) -> (u64, u64, u64, u64) {
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, m128i, max_u8_m128i,
        move_mask_i8_m128i, set_splat_i8_m128i, sub_i8_m128i,
    };
    // `x - low` at most `span`, unsigned: `x` is in `low..=low + span`.
    let within = |x: m128i, low: u8, span: u8| {
        let t = sub_i8_m128i(x, set_splat_i8_m128i(low as i8));
        let span = set_splat_i8_m128i(span as i8);
        cmp_eq_mask_i8_m128i(max_u8_m128i(t, span), span)
    };
    let mut runs = 0u64;
    let mut special = 0u64;
    let mut marks = 0u64;
    let mut closes = 0u64;
    for (k, sixteen) in bytes.as_chunks::<16>().0.iter().enumerate() {
        let x = load_unaligned_m128i(sixteen);
        if HTML {
            let lt = cmp_eq_mask_i8_m128i(x, set_splat_i8_m128i(b'<' as i8));
            let amp = cmp_eq_mask_i8_m128i(x, set_splat_i8_m128i(b'&' as i8));
            let gt = cmp_eq_mask_i8_m128i(x, set_splat_i8_m128i(b'>' as i8));
            let mark = move_mask_i8_m128i(bitor_m128i(lt, amp)) as u16;
            marks |= u64::from(mark) << (16 * k);
            closes |= u64::from(move_mask_i8_m128i(gt) as u16) << (16 * k);
        }
        let digit = within(x, b'0', 9);
        let letter = within(bitor_m128i(x, set_splat_i8_m128i(0x20)), b'a', 25);
        let quote = cmp_eq_mask_i8_m128i(x, set_splat_i8_m128i(b'\'' as i8));
        // The high bit of a byte is set exactly for non-ASCII bytes.
        let other = move_mask_i8_m128i(bitor_m128i(x, quote)) as u16;
        let alnum = move_mask_i8_m128i(bitor_m128i(digit, letter)) as u16;
        runs |= u64::from(alnum | other) << (16 * k);
        special |= u64::from(other) << (16 * k);
    }
    (runs, special, marks, closes)
}

/// [`masks`] eight bytes at a time, on 64 bytes (zero bytes are in no word).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn masks_swar<const HTML: bool>(bytes: &[u8; 64]) -> (u64, u64, u64, u64) {
    let mut runs = 0u64;
    let mut special = 0u64;
    let mut marks = 0u64;
    let mut closes = 0u64;
    for (k, eight) in bytes.as_chunks::<8>().0.iter().enumerate() {
        let x = u64::from_le_bytes(*eight);
        let (alnum, other) = classify(x);
        runs |= gather(alnum | other) << (8 * k);
        special |= gather(other) << (8 * k);
        if HTML {
            marks |= gather(equal(x, b'<') | equal(x, b'&')) << (8 * k);
            closes |= gather(equal(x, b'>')) << (8 * k);
        }
    }
    (runs, special, marks, closes)
}

/// For the eight bytes of `x` (the first in its lowest bits), the high bit of
/// each byte set where it is an ASCII letter or digit, and where it is a
/// non-ASCII byte or an apostrophe.
#[inline]
fn classify(x: u64) -> (u64, u64) {
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
    (alnum, (x & HIGH) | equal(x, b'\''))
}

/// For the eight bytes of `x`, the high bit of each byte set where it is `c`
/// (zero after the xor, found exactly per byte: no carry between bytes).
#[inline]
fn equal(x: u64, c: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let y = x ^ (ONES * u64::from(c));
    !(((y & LOW7) + LOW7) | y | LOW7)
}

/// The high bits of the eight bytes of `x` as eight bits, the first byte's lowest.
#[inline]
fn gather(x: u64) -> u64 {
    ((x >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
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

    fn bit_of(at: usize) -> u64 {
        1 << at
    }

    #[test]
    fn masks_mark_each_byte_as_the_table_does() {
        for b in 0..=255u8 {
            for at in 0..64 {
                let mut block = [b'a'; 64];
                block[at] = b;
                let all = masks::<true>(&block);
                let (runs, special, marks, closes) = all;
                assert_eq!(masks_swar::<true>(&block), all, "{b:#x} at {at}");
                assert_eq!(
                    masks::<false>(&block),
                    (runs, special, 0, 0),
                    "{b:#x} at {at}"
                );
                let mark = matches!(b, b'<' | b'&');
                assert_eq!(marks, if mark { bit_of(at) } else { 0 }, "{b:#x} at {at}");
                let close = b == b'>';
                assert_eq!(closes, if close { bit_of(at) } else { 0 }, "{b:#x} at {at}");
                let bit = 1u64 << at;
                assert_eq!(runs & bit != 0, in_run(b), "{b:#x} at {at}");
                let other = in_run(b) && !ALNUM[usize::from(b)];
                assert_eq!(special & bit != 0, other, "{b:#x} at {at}");
                assert_eq!(runs | bit, u64::MAX, "{b:#x} at {at}: the other bytes");
                assert_eq!(special & !bit, 0, "{b:#x} at {at}: the other bytes");
            }
        }
        // A short block: no bits past its end.
        assert_eq!(masks::<true>(b"ab<c>"), (0b1011, 0, 0b100, 0b10000));
    }

    #[test]
    fn each_word_reads_random_text_as_words_does() {
        // Pieces that meet at every offset of a 64-byte block.
        let pieces = [
            "a",
            "Zz",
            "kind",
            "schermtijd",
            "ABCDEFGHIJKLMNOP",
            "abcdefghijklmnopq",
            "0",
            " ",
            "  ",
            ", ",
            "-",
            "'",
            "’",
            "é",
            "Één",
            "ĳ",
            "—",
            "\u{a0}",
            "<",
            "x'y",
            "…",
            "🙂",
            "\n",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            let len = (state % 40) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let w: Vec<String> = words(&text).collect();
            assert_eq!(each_words(&text), w, "{text:?}");
        }
        // Ranges of a text, as HTML between tags is read: the range's words only.
        let text = "Een <em>loot</em> box: baby’s café! ".repeat(5) + &"x".repeat(70) + " end";
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for (k, &start) in bounds.iter().enumerate() {
            for &end in &bounds[k..] {
                let w: Vec<String> = words(&text[start..end]).collect();
                let mut each = Vec::new();
                each_word_in(&text, start..end, &mut String::new(), |w| {
                    each.push(match w {
                        Word::Short(key) => short_text(key),
                        Word::Long(word) => word.to_string(),
                    })
                });
                assert_eq!(each, w, "{start}..{end}");
            }
        }
        let long = "x".repeat(200) + " y " + &"é".repeat(70) + &"a".repeat(130);
        let w: Vec<String> = words(&long).collect();
        assert_eq!(each_words(&long), w);
    }

    /// What [`each_html_word`] finds, made the slow, obvious way: find each
    /// tag and reference, hand the text between to [`words`].
    fn html_the_slow_way(html: &str) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        let mut heading = false;
        let mut rest = html;
        while let Some(start) = rest.find(['<', '&']) {
            out.extend(words(&rest[..start]).map(|w| (w, heading)));
            let tail = &rest[start..];
            let end = if tail.starts_with('<') {
                let end = tail.find('>').map_or(tail.len(), |e| e + 1);
                let tag = &tail[..end];
                if tag.len() > 3 && tag.starts_with("<h") && tag.as_bytes()[2].is_ascii_digit() {
                    heading = true;
                } else if tag.starts_with("</h") {
                    heading = false;
                    out.push(("|".to_string(), false));
                }
                end
            } else {
                let near = &tail.as_bytes()[..tail.len().min(10)];
                near.iter().position(|&b| b == b';').map_or(1, |e| e + 1)
            };
            rest = &tail[end..];
        }
        out.extend(words(rest).map(|w| (w, heading)));
        out
    }

    fn html_words(html: &str) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        each_html_word(html, &mut String::new(), |item| {
            out.push(match item {
                InHtml::Word(Word::Short(key), heading) => (short_text(key), heading),
                InHtml::Word(Word::Long(word), heading) => (word.to_string(), heading),
                InHtml::HeadingEnd => ("|".to_string(), false),
            })
        });
        out
    }

    #[test]
    fn html_words_skip_tags_and_references_and_mark_headings() {
        let html = "<h2 id=\"x\">Wat &amp; hoe</h2><p>Een <em>loot</em> box&nbsp;hier</p>";
        let heading = |w: &str| (w.to_string(), true);
        let body = |w: &str| (w.to_string(), false);
        let want = [
            heading("wat"),
            heading("hoe"),
            body("|"),
            body("een"),
            body("loot"),
            body("box"),
            body("hier"),
        ];
        assert_eq!(html_words(html), want);
        assert_eq!(html_the_slow_way(html), want);
    }

    #[test]
    fn html_words_read_random_html_as_the_slow_way_does() {
        // Pieces that meet at every offset of a 64-byte block, tags and
        // references longer than what is left of one among them.
        let pieces = [
            "a",
            "Kind",
            "schermtijd",
            "ABCDEFGHIJKLMNOPQ",
            " ",
            "\n",
            "'",
            "’",
            "Één",
            "<p>",
            "</p>",
            "<em>",
            "</em>",
            "<h2>",
            "<h3 id=\"over-ons\">",
            "</h2>",
            "</h3>",
            "<a href=\"/thema/gamen/loot-boxes/?q=a&amp;b=c\">",
            "</a>",
            "<br>",
            "<",
            ">",
            "&",
            "&amp;",
            "&#39;",
            "&nbsp;",
            "&quot;",
            "&verylongname;",
            ";",
            &"x".repeat(70),
            &format!("<img alt=\"{}\">", "y".repeat(80)),
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            let mut html = String::new();
            for _ in 0..(state % 60) as usize {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                html.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            assert_eq!(html_words(&html), html_the_slow_way(&html), "{html:?}");
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
