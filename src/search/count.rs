//! Counting the words of every record, fast: a 10,000-page site has millions of
//! words but only thousands of distinct ones. Records are counted in runs (in
//! parallel); each run numbers its distinct words in a small table, so a word
//! costs one lookup with a fast hash and an add into an array, and a word's text
//! is kept once per run rather than once per record. The runs' numbers are then
//! mapped to one numbering for the whole site.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{HEADING, Record, text};

/// Records per run: enough that a run's table holds most of its words after a
/// few records, small enough that both cores get many runs.
const RUN: usize = 64;

/// The weighted words of one record, by word number (see [`Counted::words`]).
/// Weights are f32 (half the memory of f64, and as exact: sums of multiples of
/// 0.5 far below 2^23).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Counts {
    /// (word, weight) of each word that is not a stop word.
    pub words: Vec<(u32, f32)>,
    /// (word pair joined, weight) of each pair of words in a title or heading,
    /// so "lootbox" finds "Loot boxes".
    pub joined: Vec<(u32, f32)>,
    /// Its length in words, stop words included.
    pub length: usize,
}

/// Every record counted.
pub struct Counted {
    /// The distinct words and joined pairs, numbered: only those some record
    /// counts (a stop word that is never part of a pair is not here).
    pub words: Vec<String>,
    /// The counts of each record, in record order.
    pub records: Vec<Counts>,
}

/// Count the words of `records`. Titles and headings also count each pair of
/// words joined ("scherm tijd" → "schermtijd" is joined on the query side).
pub fn count(records: &[Record]) -> Counted {
    let runs: Vec<(Table, Vec<Counts>)> = records.par_chunks(RUN).map(count_run).collect();
    // One numbering: the words of each run that some record uses, in run order.
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut words: Vec<String> = Vec::new();
    let maps: Vec<Vec<u32>> = runs
        .iter()
        .map(|(table, _)| {
            table
                .words
                .iter()
                .zip(&table.used)
                .map(|(word, &used)| {
                    if !used {
                        return u32::MAX;
                    }
                    *ids.entry(word.as_str()).or_insert_with(|| {
                        words.push(word.clone());
                        (words.len() - 1) as u32
                    })
                })
                .collect()
        })
        .collect();
    let records = runs
        .into_par_iter()
        .zip(maps)
        .flat_map_iter(|((_, mut counts), map)| {
            for c in &mut counts {
                for (id, _) in c.words.iter_mut().chain(c.joined.iter_mut()) {
                    *id = map[*id as usize];
                }
            }
            counts
        })
        .collect();
    Counted { words, records }
}

/// The distinct words of one run, numbered in the order first seen.
#[derive(Default)]
struct Table {
    ids: FxHashMap<String, u32>,
    words: Vec<String>,
    /// Whether word `i` is a stop word (looked up once per word, not per use).
    stop: Vec<bool>,
    /// Whether some record of the run counts word `i`.
    used: Vec<bool>,
}

impl Table {
    fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.ids.insert(word.to_string(), id);
        self.words.push(word.to_string());
        self.stop.push(text::is_stop_word(word));
        self.used.push(false);
        id
    }
}

/// Weights by word number for one record: an array indexed by number, and the
/// numbers touched, so that clearing it costs only what the record used.
#[derive(Default)]
struct Tally {
    weights: Vec<f32>,
    touched: Vec<u32>,
}

impl Tally {
    fn add(&mut self, id: u32, weight: f32) {
        let i = id as usize;
        if i >= self.weights.len() {
            self.weights.resize(i + 1, 0.0);
        }
        // Every weight is positive: zero means not touched yet.
        if self.weights[i] <= 0.0 {
            self.touched.push(id);
        }
        self.weights[i] += weight;
    }

    fn take(&mut self, used: &mut [bool]) -> Vec<(u32, f32)> {
        let out = self
            .touched
            .iter()
            .map(|&id| {
                used[id as usize] = true;
                (id, std::mem::take(&mut self.weights[id as usize]))
            })
            .collect();
        self.touched.clear();
        out
    }
}

fn count_run(records: &[Record]) -> (Table, Vec<Counts>) {
    let mut table = Table::default();
    let (mut words, mut joined) = (Tally::default(), Tally::default());
    let mut previous = String::new();
    let counts = records
        .iter()
        .map(|record| {
            let mut length = 0;
            for (boost, field) in &record.fields() {
                // Boosts are small multiples of 0.5: exact as f32, summed in any order.
                let (heading, boost) = (*boost >= HEADING, *boost as f32);
                previous.clear();
                text::each_word(field, |word| {
                    length += 1;
                    if heading && !previous.is_empty() {
                        previous.push_str(word);
                        joined.add(table.id(&previous), boost * 0.5);
                    }
                    previous.clear();
                    let id = table.id(word);
                    if !table.stop[id as usize] {
                        words.add(id, boost);
                        if heading {
                            previous.push_str(word);
                        }
                    }
                });
            }
            Counts {
                words: words.take(&mut table.used),
                joined: joined.take(&mut table.used),
                length,
            }
        })
        .collect();
    (table, counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::records::Source;
    use crate::search::{BODY, TITLE};

    fn record(title: &str, body: &str) -> Record<'static> {
        Record {
            url: "/x/".into(),
            title: title.into(),
            description: String::new(),
            kind: "Pagina".into(),
            themes: 0,
            ages: 0,
            source: Source::Text(vec![(TITLE, title.into()), (BODY, body.into())]),
        }
    }

    type Named = Vec<(String, f32)>;

    /// What one record counts, by word text, sorted.
    fn by_text(counted: &Counted, i: usize) -> (Named, Named) {
        let named = |list: &[(u32, f32)]| {
            let mut v: Named = list
                .iter()
                .map(|&(id, w)| (counted.words[id as usize].clone(), w))
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        let c = &counted.records[i];
        (named(&c.words), named(&c.joined))
    }

    #[test]
    fn words_are_weighted_by_field_and_pairs_joined_in_titles() {
        let counted = count(&[record("Loot boxes en de game", "Een loot box, een game.")]);
        let (words, joined) = by_text(&counted, 0);
        let w = |s: &str, n: f32| (s.to_string(), n);
        assert_eq!(
            words,
            [
                w("box", 1.0),
                w("boxes", 5.0),
                w("game", 6.0),
                w("loot", 6.0)
            ]
        );
        // "boxes en" is joined ("en" is a stop word, but a pair counts anyway);
        // "en de" is not: a stop word starts no pair.
        assert_eq!(joined, [w("boxesen", 2.5), w("lootboxes", 2.5)]);
        assert_eq!(counted.records[0].length, 10);
        // Stop words never counted alone are not in the vocabulary.
        assert!(!counted.words.iter().any(|w| w == "een" || w == "en"));
    }

    #[test]
    fn one_numbering_across_runs() {
        let records: Vec<Record> = (0..3 * RUN)
            .map(|i| record(&format!("titel{}", i % 5), "scherm tijd"))
            .collect();
        let counted = count(&records);
        assert_eq!(counted.records.len(), records.len());
        let mut sorted = counted.words.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), counted.words.len(), "each word numbered once");
        for i in [0, RUN + 1, 2 * RUN + 2] {
            let (words, _) = by_text(&counted, i);
            let title = format!("titel{}", i % 5);
            assert!(
                words.iter().any(|(w, n)| *w == title && *n == 5.0),
                "{words:?}"
            );
        }
    }
}
