//! Counting the words of every record, the costly part of indexing (a
//! 10,000-page site has about six million words), so done with as little
//! work per word as can be: each worker thread numbers the words it meets in
//! its own table and adds weights into a plain array by that number; the
//! tables are merged into one site-wide [`Words`] afterwards (a few thousand
//! distinct words), and each record keeps its counts as numbers into it.
//!
//! `wegwijs serve` keeps the [`Words`] and every record's [`Counts`] between
//! saves: after an edit it counts the changed records into the same table and
//! indexes again from the counts, without reading any other page's text.
//!
//! Weights are integers in halves (a title word counts 10, half of that for a
//! compound's part 5), so every sum is exact and independent of the order the
//! words were met in, and a rebuild in `serve` gives the bytes a full build does.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::text::{self, InHtml, Word};

/// Weight of a word in the title, in halves (a title word counts five body words).
pub const TITLE: u32 = 10;
/// Weight of a word in the description, in halves.
pub const DESCRIPTION: u32 = 6;
/// Weight of a word in a heading (and a card's question), in halves.
pub const HEADING: u32 = 4;
/// Weight of a word in body text, in halves.
pub const BODY: u32 = 2;

/// Some text of a record to count.
pub enum Text<'a> {
    /// Plain text with its weight (one of the constants above).
    Plain(u32, &'a str),
    /// Plain text made for the record (joined lines, say), with its weight.
    Owned(u32, String),
    /// Rendered body HTML: its headings count as [`HEADING`], all its text
    /// (the headings too) as [`BODY`]. Tags and character references are not words.
    Html(&'a str),
}

/// One record's words: (word number × 2, + 1 when it is a joined pair of
/// title, description or heading words, weight in halves), and its length in words.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    /// (slot, weight); a slot is a [`Words`] number shifted left once, its
    /// lowest bit set for a joined pair ("loot box" → "lootbox").
    pub slots: Vec<(u32, u32)>,
    /// Words in the record, stop words included.
    pub length: u32,
    /// A hash of the text counted (see [`Known`]); 0 when the counts are not
    /// kept for a later count.
    pub key: u64,
}

/// Counts of an earlier build by the hash of their text, with the word table
/// they number into: `serve` hands them to a full rebuild, which then counts
/// only the records whose text changed.
#[derive(Debug, Default)]
pub struct Known {
    /// The word table (it only grows, so earlier numbers stay valid).
    pub words: Words,
    counts: HashMap<u64, Counts>,
}

impl Known {
    /// What `counts` (all numbered into `words`) teach.
    pub fn new(words: Words, counts: Vec<Counts>) -> Known {
        let counts = counts.into_iter().map(|c| (c.key, c)).collect();
        Known { words, counts }
    }
}

/// The hash of a record's text: its pieces, each with its kind and weight and
/// an end mark no UTF-8 text has.
fn key(texts: &[Text<'_>]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for text in texts {
        let (kind, weight, s) = match text {
            Text::Plain(w, s) => (0u8, *w, *s),
            Text::Owned(w, s) => (0, *w, s.as_str()),
            Text::Html(s) => (1, 0, *s),
        };
        hasher.update(&[kind]);
        hasher.update(&weight.to_le_bytes());
        hasher.update(s.as_bytes());
        hasher.update(&[0xff]);
    }
    hasher.digest()
}

/// Every distinct word the site's records use (or used: `serve` only ever
/// adds), numbered, each with its stem once it has been asked for.
#[derive(Debug, Default)]
pub struct Words {
    /// By text (a joined pair's text too, when no word had it first).
    ids: HashMap<Box<str>, u32>,
    /// Joined pairs by their two words: "werk tijdens" and "werktijden ’s"
    /// have one text but are two pairs, indexed apart (see `search::index`).
    pairs: HashMap<(u32, u32), u32>,
    list: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    text: Box<str>,
    stem: Option<Box<str>>,
    /// For a joined pair, the numbers of its two words.
    joined: Option<(u32, u32)>,
}

impl Words {
    /// How many words are numbered.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether no word is numbered.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The word numbered `id`.
    pub fn text(&self, id: u32) -> &str {
        &self.list[id as usize].text
    }

    /// The number of `word`, if it is known.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    /// The two words of joined pair `id` (`None` for a word only ever met alone).
    pub fn joined(&self, id: u32) -> Option<(u32, u32)> {
        self.list[id as usize].joined
    }

    /// The stem of word `id`, if [`Words::stem_all`] has made it.
    pub fn stem(&self, id: u32) -> Option<&str> {
        self.list[id as usize].stem.as_deref()
    }

    /// Make the stems of `ids` not yet stemmed, in parallel (each word is
    /// stemmed once in the table's life).
    pub fn stem_all(&mut self, ids: &[u32]) {
        let todo: Vec<u32> = ids
            .iter()
            .copied()
            .filter(|&id| self.list[id as usize].stem.is_none())
            .collect();
        let stems: Vec<Box<str>> = todo
            .par_iter()
            .map_init(text::Stems::default, |stems, &id| {
                stems.stem_once(&self.list[id as usize].text).into()
            })
            .collect();
        for (id, stem) in todo.into_iter().zip(stems) {
            self.list[id as usize].stem = Some(stem);
        }
    }

    /// Number the words of a worker's table (each with its two words when
    /// it is a joined pair); returns the site-wide number of each. A word met
    /// alone and one joined pair may share a number (the same text); two pairs
    /// never do.
    fn merge(&mut self, local: impl Iterator<Item = (Box<str>, Option<(u32, u32)>)>) -> Vec<u32> {
        local
            .map(|(word, joined)| {
                let known = self.ids.get(&word).copied();
                let Some(pair) = joined else {
                    return known.unwrap_or_else(|| self.push(word, None));
                };
                if let Some(&id) = self.pairs.get(&pair) {
                    return id;
                }
                let id = match known {
                    Some(id) if self.list[id as usize].joined.is_none() => {
                        self.list[id as usize].joined = Some(pair);
                        id
                    }
                    _ => self.push(word, Some(pair)),
                };
                self.pairs.insert(pair, id);
                id
            })
            .collect()
    }

    /// A new entry (findable by its text when no entry has that text yet).
    fn push(&mut self, text: Box<str>, joined: Option<(u32, u32)>) -> u32 {
        let id = self.list.len() as u32;
        self.ids.entry(text.clone()).or_insert(id);
        self.list.push(Entry {
            text,
            stem: None,
            joined,
        });
        id
    }
}

/// A worker's own word table: words numbered from 1 in the order it met them;
/// every stop word is number [`STOP`].
#[derive(Default)]
struct Vocabulary {
    short: ShortTable,
    long: HashMap<Box<str>, u32>,
    list: Vec<Box<str>>,
}

/// The number of every stop word in a [`Vocabulary`]: its weights are added
/// up like any word's (no branch per word), and dropped.
const STOP: u32 = 0;

impl Vocabulary {
    /// The number of `word`, [`STOP`] for a stop word.
    #[inline]
    fn entry(&mut self, word: Word<'_>) -> u32 {
        match word {
            Word::Short(key) => match self.short.get(key) {
                Some(entry) => entry,
                None => {
                    let entry = self.add(text::short_text(key).into());
                    self.short.insert(key, entry);
                    entry
                }
            },
            Word::Long(word) => match self.long.get(word) {
                Some(&entry) => entry,
                None => {
                    let entry = self.add(word.into());
                    self.long.insert(word.into(), entry);
                    entry
                }
            },
        }
    }

    fn add(&mut self, word: Box<str>) -> u32 {
        if text::is_stop_word(&word) {
            return STOP;
        }
        self.list.push(word);
        self.list.len() as u32
    }
}

/// Words of up to 16 bytes by their number ([`Word::Short`]): open addressing,
/// probing the next slot, kept at most half full. Every word of every page is
/// looked up here, so it is the one table a build cannot afford to be slow.
struct ShortTable {
    /// 0 is an empty slot (no word is empty).
    keys: Vec<u128>,
    values: Vec<u32>,
    len: usize,
    /// 64 minus log2 of the slots: a hash's top bits are the slot.
    shift: u32,
}

impl Default for ShortTable {
    fn default() -> Self {
        ShortTable {
            keys: vec![0; 1024],
            values: vec![0; 1024],
            len: 0,
            shift: 64 - 10,
        }
    }
}

impl ShortTable {
    fn slot(&self, key: u128) -> usize {
        let mixed = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        (mixed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    #[inline]
    fn get(&self, key: u128) -> Option<u32> {
        let mask = self.keys.len() - 1;
        let mut i = self.slot(key);
        loop {
            match self.keys[i] {
                k if k == key => return Some(self.values[i]),
                0 => return None,
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn insert(&mut self, key: u128, value: u32) {
        if 2 * (self.len + 1) > self.keys.len() {
            let slots = 2 * self.keys.len();
            let keys = std::mem::replace(&mut self.keys, vec![0; slots]);
            let values = std::mem::replace(&mut self.values, vec![0; slots]);
            self.shift -= 1;
            self.len = 0;
            for (k, v) in keys.into_iter().zip(values) {
                if k != 0 {
                    self.insert(k, v);
                }
            }
        }
        let mask = self.keys.len() - 1;
        let mut i = self.slot(key);
        while self.keys[i] != 0 {
            i = (i + 1) & mask;
        }
        self.keys[i] = key;
        self.values[i] = value;
        self.len += 1;
    }
}

/// Weights being added up for one record: by slot, with the slots touched
/// (the first `touched` of `order`; written for every word, kept only for a
/// new slot, so no branch per word).
#[derive(Default)]
struct Tally {
    weights: Vec<u32>,
    order: Vec<u32>,
    touched: usize,
}

impl Tally {
    #[inline]
    fn add(&mut self, slot: u32, weight: u32) {
        let i = slot as usize;
        if i >= self.weights.len() {
            let len = (i + 1).next_power_of_two().max(1024);
            self.weights.resize(len, 0);
            self.order.resize(len + 1, 0);
        }
        // At most one entry per slot, and one more place than there are slots:
        // `touched` stays below `order.len()`.
        if let (Some(weight_now), Some(next)) =
            (self.weights.get_mut(i), self.order.get_mut(self.touched))
        {
            *next = slot;
            self.touched += usize::from(*weight_now == 0);
            *weight_now += weight;
        }
    }

    /// The counts so far (stop words left out), and a clean tally for the next record.
    fn take(&mut self) -> Vec<(u32, u32)> {
        let mut out = Vec::with_capacity(self.touched);
        for &slot in &self.order[..self.touched] {
            let weight = std::mem::take(&mut self.weights[slot as usize]);
            if slot != STOP << 1 {
                out.push((slot, weight));
            }
        }
        self.touched = 0;
        out
    }
}

/// One worker: its word table and tally, and the records it counted.
struct Worker<R> {
    table: Table,
    /// Where an ASCII word longer than 16 bytes is lower-cased.
    buffer: String,
    done: Vec<(usize, R, Counts)>,
    /// Records counted in an earlier build: their numbers are site-wide already.
    reused: Vec<(usize, R, Counts)>,
}

/// What counting a word changes: a worker's word and pair tables, and the
/// tally of the record being counted.
#[derive(Default)]
struct Table {
    vocabulary: Vocabulary,
    /// Joined pairs, as the numbers of their two words in `vocabulary`.
    pairs: HashMap<u64, u32>,
    pair_list: Vec<(u32, u32)>,
    tally: Tally,
    /// The previous title or heading word, to join with the next.
    previous: Option<u32>,
}

impl Table {
    /// Count `word` at `weight`, and with a pair weight (title, description,
    /// heading), joined with the word before it (neither a stop word).
    #[inline]
    fn add(&mut self, word: Word<'_>, weight: u32, pair_weight: Option<u32>) {
        let entry = self.vocabulary.entry(word);
        self.tally.add(entry << 1, weight);
        let Some(pair_weight) = pair_weight else {
            return;
        };
        if entry == STOP {
            // "Praten over geld" joins nothing: no parent types "pratenover".
            self.previous = None;
            return;
        }
        let Some(before) = self.previous.replace(entry) else {
            return;
        };
        let next = self.pair_list.len() as u32;
        let pair_list = &mut self.pair_list;
        let pair = *self
            .pairs
            .entry(u64::from(before) << 32 | u64::from(entry))
            .or_insert_with(|| {
                pair_list.push((before, entry));
                next
            });
        self.tally.add(pair << 1 | 1, pair_weight);
    }
}

impl<R> Worker<R> {
    fn new() -> Self {
        Worker {
            table: Table::default(),
            buffer: String::new(),
            done: Vec::new(),
            reused: Vec::new(),
        }
    }

    fn count(&mut self, texts: &[Text<'_>]) -> Counts {
        let mut length = 0;
        for text in texts {
            match text {
                Text::Plain(weight, s) => length += self.field(*weight, s),
                Text::Owned(weight, s) => length += self.field(*weight, s),
                Text::Html(html) => {
                    // A heading's words count as heading and as body words
                    // (so twice in the length), and join in pairs.
                    let table = &mut self.table;
                    table.previous = None;
                    text::each_html_word(html, &mut self.buffer, |item| match item {
                        InHtml::Word(word, true) => {
                            length += 2;
                            table.add(word, HEADING + BODY, Some(HEADING / 2));
                        }
                        InHtml::Word(word, false) => {
                            length += 1;
                            table.add(word, BODY, None);
                        }
                        InHtml::HeadingEnd => table.previous = None,
                    });
                }
            }
        }
        Counts {
            slots: self.table.tally.take(),
            length,
            key: 0,
        }
    }

    /// Count one field: its words and, in the title, description and headings
    /// (weight at least [`HEADING`]), each pair of neighbouring words joined
    /// (neither a stop word). Returns how many words it has.
    fn field(&mut self, weight: u32, field: &str) -> u32 {
        let table = &mut self.table;
        table.previous = None;
        let pair_weight = (weight >= HEADING).then_some(weight / 2);
        let mut length = 0;
        text::each_word(field, &mut self.buffer, |word| {
            length += 1;
            table.add(word, weight, pair_weight);
        });
        length
    }
}

/// Count the records `make(0..n)` gives (`None`: that item has no record), in
/// parallel, numbering their words in `known.words`; a record whose text
/// `known` has counted before is not counted again. `keep`: the counts are
/// kept for a later count (`serve`): each is keyed by its text's hash, and
/// only then are known counts reused (a one-shot build hashes no text). Returns, for each
/// item, its record and counts.
pub fn count<'a, R: Send>(
    known: &mut Known,
    n: usize,
    keep: bool,
    make: impl Fn(usize) -> Option<(R, Vec<Text<'a>>)> + Sync,
) -> Vec<Option<(R, Counts)>> {
    let before = &known.counts;
    let workers: Vec<Worker<R>> = (0..n)
        .into_par_iter()
        .fold(Worker::new, |mut worker, i| {
            if let Some((record, texts)) = make(i) {
                let key = if keep { key(&texts) } else { 0 };
                match before.get(&key).filter(|_| keep) {
                    Some(counts) => worker.reused.push((i, record, counts.clone())),
                    None => {
                        let mut counts = worker.count(&texts);
                        counts.key = key;
                        worker.done.push((i, record, counts));
                    }
                }
            }
            worker
        })
        .collect();
    let words = &mut known.words;
    let mut out: Vec<Option<(R, Counts)>> = (0..n).map(|_| None).collect();
    for worker in workers {
        let table = worker.table;
        let single = words.merge(table.vocabulary.list.into_iter().map(|w| (w, None)));
        let joined: Vec<_> = table
            .pair_list
            .iter()
            .map(|&(a, b)| {
                let (a, b) = (single[a as usize - 1], single[b as usize - 1]);
                let text = [words.text(a), words.text(b)].concat();
                (text.into_boxed_str(), Some((a, b)))
            })
            .collect();
        let ids = [single, words.merge(joined.into_iter())];
        for (i, record, mut counts) in worker.done {
            for (slot, _) in &mut counts.slots {
                // Words are numbered from 1 in a worker's table, pairs from 0.
                let joined = (*slot & 1) as usize;
                let local = (*slot >> 1) as usize - (1 - joined);
                *slot = ids[joined][local] << 1 | (*slot & 1);
            }
            out[i] = Some((record, counts));
        }
        for (i, record, counts) in worker.reused {
            out[i] = Some((record, counts));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(known: &mut Known, texts: Vec<Text<'static>>) -> Vec<(String, bool, u32)> {
        let mut made = count(known, 1, true, |_| Some(((), texts_clone(&texts))));
        let words = &known.words;
        let Some(Some(((), counts))) = made.pop() else {
            return Vec::new();
        };
        let mut out: Vec<(String, bool, u32)> = counts
            .slots
            .iter()
            .map(|&(slot, w)| (words.text(slot >> 1).to_string(), slot & 1 == 1, w))
            .collect();
        out.sort();
        out
    }

    fn texts_clone(texts: &[Text<'static>]) -> Vec<Text<'static>> {
        texts
            .iter()
            .map(|t| match t {
                Text::Plain(w, s) => Text::Plain(*w, s),
                Text::Owned(w, s) => Text::Owned(*w, s.clone()),
                Text::Html(s) => Text::Html(s),
            })
            .collect()
    }

    #[test]
    fn weights_add_up_per_word_and_pairs_join_in_titles() {
        let mut known = Known::default();
        let got = counted(
            &mut known,
            vec![
                Text::Plain(TITLE, "Loot boxes in games"),
                Text::Plain(BODY, "Loot en nog eens loot"),
            ],
        );
        assert_eq!(
            got,
            [
                ("boxes".to_string(), false, TITLE),
                ("eens".to_string(), false, BODY),
                ("games".to_string(), false, TITLE),
                ("loot".to_string(), false, TITLE + 2 * BODY),
                ("lootboxes".to_string(), true, TITLE / 2),
            ]
        );
    }

    #[test]
    fn html_headings_count_twice_and_tags_are_not_words() {
        let mut known = Known::default();
        let got = counted(
            &mut known,
            vec![Text::Html(
                "<h2>Scherm tijd</h2><p>Een <em>uur</em>&nbsp;per dag</p>",
            )],
        );
        assert_eq!(
            got,
            [
                ("dag".to_string(), false, BODY),
                ("per".to_string(), false, BODY),
                ("scherm".to_string(), false, HEADING + BODY),
                ("schermtijd".to_string(), true, HEADING / 2),
                ("tijd".to_string(), false, HEADING + BODY),
                ("uur".to_string(), false, BODY),
            ]
        );
    }

    #[test]
    fn heading_pairs_cross_tags_but_not_headings() {
        let mut known = Known::default();
        let got = counted(
            &mut known,
            vec![Text::Html("<h2>Loot<em>box</em></h2><h3>Games</h3>")],
        );
        let pairs: Vec<&str> = got
            .iter()
            .filter(|(_, joined, _)| *joined)
            .map(|(w, _, _)| w.as_str())
            .collect();
        assert_eq!(pairs, ["lootbox"]);
    }

    #[test]
    fn a_tally_keeps_every_weight_when_every_slot_is_used() {
        let mut tally = Tally::default();
        for slot in 0..1024 {
            tally.add(slot, 1);
        }
        tally.add(2, 5);
        let counts = tally.take();
        assert_eq!(counts.len(), 1023, "all but the stop word slot");
        assert!(counts.contains(&(4, 1)) && counts.contains(&(2, 6)));
    }

    #[test]
    fn two_pairs_with_one_text_stay_two_pairs() {
        let mut known = Known::default();
        counted(
            &mut known,
            vec![
                Text::Plain(TITLE, "Werk tijdens"),
                Text::Plain(TITLE, "Werktijden s"),
            ],
        );
        let words = &known.words;
        let pair = |a: &str, b: &str| {
            let pair = (words.id(a)?, words.id(b)?);
            words.pairs.get(&pair).copied()
        };
        let (Some(one), Some(two)) = (pair("werk", "tijdens"), pair("werktijden", "s")) else {
            panic!("both pairs are numbered");
        };
        assert_ne!(one, two);
        assert_eq!(words.joined(one), pair_words(words, "werk", "tijdens"));
        assert_eq!(words.joined(two), pair_words(words, "werktijden", "s"));
    }

    fn pair_words(words: &Words, a: &str, b: &str) -> Option<(u32, u32)> {
        Some((words.id(a)?, words.id(b)?))
    }

    #[test]
    fn numbers_are_site_wide_and_kept_between_counts() {
        let mut known = Known::default();
        counted(&mut known, vec![Text::Plain(BODY, "telefoon mobiel")]);
        let before = known.words.id("telefoon");
        counted(&mut known, vec![Text::Plain(BODY, "tablet telefoon")]);
        assert_eq!(known.words.id("telefoon"), before);
        assert_eq!(known.words.len(), 3);
    }

    #[test]
    fn known_text_is_not_counted_again_and_changed_text_is() {
        let texts = || {
            vec![
                Text::Plain(TITLE, "Scherm tijd"),
                Text::Html("<p>Een uur</p>"),
            ]
        };
        let mut known = Known::default();
        let first = count(&mut known, 1, true, |_| Some(((), texts())));
        let first = first.into_iter().flatten().next().map(|((), c)| c);
        let first = first.unwrap_or_default();
        assert_eq!(first.length, 4);
        // Known counts come back as they were (here marked to tell them apart).
        let mut marked = first.clone();
        marked.length = 99;
        let words = std::mem::take(&mut known.words);
        let mut known = Known::new(words, vec![marked]);
        let again = count(&mut known, 2, true, |i| {
            let mut t = texts();
            if i == 1 {
                t.push(Text::Plain(BODY, "meer"));
            }
            Some(((), t))
        });
        let lengths: Vec<u32> = again.iter().flatten().map(|((), c)| c.length).collect();
        assert_eq!(lengths, [99, 5]);
    }
}
