//! Dutch readability: the Flesch-Douma score and the average sentence length.
//!
//! Flesch-Douma (Douma 1960) is Flesch's reading ease with weights fitted to
//! Dutch, which has longer words than English:
//!
//! ```text
//! score = 206.835 − 0.93 × (words / sentences) − 77 × (syllables / words)
//! ```
//!
//! 100 is very easy, 60-70 reads like plain text, under 30 is hard. B1 text
//! (the level most Dutch adults read comfortably) usually scores 60 or more with
//! sentences of at most about 15 words.
//!
//! Limits, on purpose kept simple: syllables are counted as groups of vowels
//! (`ij` counts as a vowel, `ï`/`ë` start a new syllable), which miscounts a few
//! loan words; a sentence ends at `.`, `!` or `?` followed by a space or the
//! end, and at the end of a paragraph, list item or heading, so abbreviations
//! such as "bijv." make sentences look shorter; tables, code and shortcodes are
//! not counted. The score says nothing about word choice, jargon or structure:
//! it is a signal for a human editor, not a verdict.

/// Words, sentences and syllables of a text, fed in pieces.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    /// Words (tokens with at least one letter).
    pub words: usize,
    /// Sentences.
    pub sentences: usize,
    /// Syllables.
    pub syllables: usize,
    /// Words since the last sentence end.
    open: usize,
}

/// Pages with fewer words are not scored: the formula means little on them.
pub const MIN_WORDS: usize = 80;

impl Counter {
    /// Add a piece of text (a text event of markdown).
    pub fn add(&mut self, text: &str) {
        for token in text.split_ascii_whitespace() {
            let syllables = syllables(token);
            if syllables > 0 {
                self.words += 1;
                self.open += 1;
                self.syllables += syllables;
            }
            if self.open > 0 && token.ends_with(['.', '!', '?']) {
                self.sentences += 1;
                self.open = 0;
            }
        }
    }

    /// The end of a paragraph, list item or heading ends a sentence.
    pub fn end_block(&mut self) {
        if self.open > 0 {
            self.sentences += 1;
            self.open = 0;
        }
    }

    /// Average words per sentence.
    pub fn sentence_length(&self) -> f64 {
        ratio(self.words, self.sentences)
    }

    /// The Flesch-Douma score (see the module documentation).
    pub fn flesch_douma(&self) -> f64 {
        206.835 - 0.93 * self.sentence_length() - 77.0 * ratio(self.syllables, self.words)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        // Counts on a page stay far below 2^52: the conversion is exact.
        #[allow(clippy::cast_precision_loss)]
        let r = a as f64 / b as f64;
        r
    }
}

/// Syllables of a Dutch word: groups of vowels, at least one; 0 for a token
/// without letters (a number, a dash), which is not a word.
pub fn syllables(word: &str) -> usize {
    let mut count = 0;
    let mut letters = false;
    let mut in_vowels = false;
    let mut previous = ' ';
    // Most words are ASCII: look at bytes, decode only the rest.
    let mut chars = word.bytes();
    let mut rest = None;
    loop {
        let c = match chars.next() {
            Some(b) if b.is_ascii() => char::from(b.to_ascii_lowercase()),
            Some(_) => {
                rest = Some(word);
                break;
            }
            None => break,
        };
        letters |= c.is_ascii_alphabetic();
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') || (c == 'j' && previous == 'i');
        if vowel && !in_vowels {
            count += 1;
        }
        in_vowels = vowel;
        previous = c;
    }
    if let Some(word) = rest {
        (count, letters, in_vowels, previous) = (0, false, false, ' ');
        for c in word.chars().flat_map(char::to_lowercase) {
            letters |= c.is_alphabetic();
            let vowel = matches!(
                c,
                'a' | 'e'
                    | 'i'
                    | 'o'
                    | 'u'
                    | 'y'
                    | 'à'
                    | 'á'
                    | 'â'
                    | 'è'
                    | 'é'
                    | 'ê'
                    | 'ì'
                    | 'í'
                    | 'î'
                    | 'ò'
                    | 'ó'
                    | 'ô'
                    | 'ù'
                    | 'ú'
                    | 'û'
                    | 'ä'
                    | 'ö'
                    | 'ü'
            ) || (c == 'j' && previous == 'i');
            // A diaeresis marks a new syllable: beïnvloeden, ideeën.
            let new_syllable = matches!(c, 'ë' | 'ï');
            if new_syllable || (vowel && !in_vowels) {
                count += 1;
            }
            in_vowels = vowel || new_syllable;
            previous = c;
        }
    }
    if letters { count.max(1) } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_syllables() {
        for (word, n) in [
            ("kind", 1),
            ("blijven", 2),
            ("ouders", 2),
            ("beïnvloeden", 4),
            ("ideeën", 3),
            ("schermtijd", 2),
            ("vloggen", 2),
            ("113", 0),
            ("Één", 1),
        ] {
            assert_eq!(syllables(word), n, "{word}");
        }
    }

    #[test]
    fn counts_sentences_and_scores() {
        let mut c = Counter::default();
        c.add("Je kind vlogt. Dat is leuk! Maar let op");
        c.end_block();
        c.add("Een kop");
        c.end_block();
        assert_eq!((c.words, c.sentences), (11, 4));
        assert!((c.sentence_length() - 2.75).abs() < 1e-9);
        let hard = {
            let mut h = Counter::default();
            h.add("Overeenkomstig de toepasselijke wettelijke bepalingen aangaande persoonsgegevensverwerking dient toestemming verkregen te worden.");
            h.end_block();
            h
        };
        assert!(hard.flesch_douma() < c.flesch_douma());
        assert!(hard.flesch_douma() < 30.0, "{}", hard.flesch_douma());
    }
}
