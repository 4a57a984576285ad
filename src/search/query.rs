//! The ranking, over the index files as the page script reads them. Written to
//! be repeated line by line in `js/zoeken.js`: integer scores only, the same
//! order of steps, and ties broken by record id.
//!
//! For each query word (stop words dropped) the best of: its stem (×10), a
//! longer stem it begins ("kind" → "kinder", ×7), the word joined with the
//! next's stem ("loot boxen" → "lootbox", ×10, counting for both), a synonym from
//! `site.yaml` (its stems, averaged, ×10) and, only when nothing else matched,
//! a stem one or two letters off ("ontheffnig", ×5). Pages matching more
//! query words come first, then by total score.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::{shard_of, text};

/// One hit: the page and why it ranks where it does.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hit {
    /// The page's URL.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: String,
    /// What it is ("Informatiekaart", ...).
    pub kind: String,
    /// How many query words it matched.
    pub matched: usize,
    /// Its score.
    pub score: u64,
}

/// Which pages to keep: theme and age slugs; empty means any. A page without
/// age groups is for every age.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    /// Theme slugs (any of them).
    pub themes: Vec<String>,
    /// Age group slugs (any of them).
    pub ages: Vec<String>,
}

type Postings = HashMap<u32, u64>;

/// The index as read through `fetch` (a URL path such as `/js/zoeken/s3.ab12.js`
/// → the file's text), each file read at most once.
pub struct Searcher<F: Fn(&str) -> Option<String>> {
    fetch: F,
    meta: Value,
    shards: HashMap<usize, BTreeMap<String, Vec<(u32, u64)>>>,
    chunks: HashMap<usize, Value>,
}

/// What a search found: how many pages, and the first of them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Found {
    /// Pages found (after the filters).
    pub total: usize,
    /// The best, at most the limit asked for.
    pub hits: Vec<Hit>,
}

impl<F: Fn(&str) -> Option<String>> Searcher<F> {
    /// Open the index whose entry file is at `meta_url`.
    pub fn open(meta_url: &str, fetch: F) -> Option<Self> {
        let meta = super::unwrap(&fetch(meta_url)?)?;
        Some(Searcher {
            fetch,
            meta,
            shards: HashMap::new(),
            chunks: HashMap::new(),
        })
    }

    fn shard(&mut self, stem: &str) -> &BTreeMap<String, Vec<(u32, u64)>> {
        let urls = self.meta["shards"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        let n = shard_of(stem, urls.len());
        if !self.shards.contains_key(&n) {
            let terms = urls
                .get(n)
                .and_then(Value::as_str)
                .and_then(|url| (self.fetch)(url))
                .and_then(|s| super::unwrap(&s))
                .map(|v| decode(&v["terms"]))
                .unwrap_or_default();
            self.shards.insert(n, terms);
        }
        &self.shards[&n]
    }

    fn exact(&mut self, stem: &str) -> Postings {
        self.shard(stem)
            .get(stem)
            .map(|list| list.iter().map(|&(id, w)| (id, w * 10)).collect())
            .unwrap_or_default()
    }

    /// Exact and prefix matches, or else near misses.
    fn word(&mut self, stem: &str) -> Postings {
        let mut scores = self.exact(stem);
        let length = stem.chars().count();
        let shard = self.shard(stem).clone();
        if length >= 3 {
            for (term, list) in shard
                .iter()
                .filter(|(t, _)| t.len() > stem.len() && t.starts_with(stem))
            {
                let _ = term;
                add_max(&mut scores, list, 7);
            }
        }
        if scores.is_empty() && length >= 4 {
            let limit = if length <= 6 { 1 } else { 2 };
            for (term, list) in &shard {
                if term.chars().count().abs_diff(length) <= limit && distance(stem, term) <= limit {
                    add_max(&mut scores, list, 5);
                }
            }
        }
        scores
    }

    /// The pages for `query`, best first; page data is read for the first
    /// `limit` only (as the page script does).
    pub fn search(&mut self, query: &str, filters: &Filters, limit: usize) -> Found {
        let stop: Vec<&str> = self.meta["stop"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let words: Vec<String> = text::words(query)
            .filter(|w| !stop.contains(&w.as_str()))
            .collect();
        let mut stems = text::Stems::default();
        let terms: Vec<String> = words.iter().map(|w| stems.stem(w).to_string()).collect();
        let mut per_word: Vec<Postings> = Vec::with_capacity(terms.len());
        for term in &terms {
            per_word.push(self.word(term));
        }
        for i in 0..words.len().saturating_sub(1) {
            // The first word as typed, the second stemmed, as pairs are indexed.
            let joined = format!("{}{}", words[i], stems.stem(&words[i + 1]));
            let scores = self.exact(&joined);
            for j in [i, i + 1] {
                for (&id, &s) in &scores {
                    let e = per_word[j].entry(id).or_insert(0);
                    *e = (*e).max(s);
                }
            }
        }
        let synonyms = self.meta["synonyms"].clone();
        for (i, term) in terms.iter().enumerate() {
            for phrase in synonyms[term].as_array().map_or(&[][..], Vec::as_slice) {
                let phrase: Vec<&str> = phrase
                    .as_array()
                    .map(|p| p.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let lists: Vec<Postings> = phrase.iter().map(|s| self.exact(s)).collect();
                let Some(first) = lists.first() else { continue };
                for &id in first.keys() {
                    if lists.iter().all(|l| l.contains_key(&id)) {
                        let sum: u64 = lists.iter().map(|l| l[&id]).sum();
                        let e = per_word[i].entry(id).or_insert(0);
                        *e = (*e).max(sum / lists.len() as u64);
                    }
                }
            }
        }
        let mut totals: BTreeMap<u32, (usize, u64)> = BTreeMap::new();
        for scores in &per_word {
            for (&id, &s) in scores {
                let e = totals.entry(id).or_insert((0, 0));
                e.0 += 1;
                e.1 += s;
            }
        }
        let (themes, ages) = (
            self.mask("themes", &filters.themes),
            self.mask("ages", &filters.ages),
        );
        let masks = self.meta["filters"].as_array().cloned().unwrap_or_default();
        let mask_of = |id: u32, k: usize| {
            masks
                .get(id as usize * 2 + k)
                .and_then(Value::as_u64)
                .unwrap_or(0)
        };
        let mut ranked: Vec<(u32, usize, u64)> = totals
            .into_iter()
            .filter(|&(id, _)| themes == 0 || mask_of(id, 0) & themes != 0)
            .filter(|&(id, _)| ages == 0 || mask_of(id, 1) == 0 || mask_of(id, 1) & ages != 0)
            .map(|(id, (m, s))| (id, m, s))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
        let total = ranked.len();
        ranked.truncate(limit);
        let hits = ranked
            .into_iter()
            .filter_map(|(id, matched, score)| {
                let doc = self.doc(id)?;
                Some(Hit {
                    url: doc[0].as_str()?.to_string(),
                    title: doc[1].as_str()?.to_string(),
                    description: doc[2].as_str()?.to_string(),
                    kind: doc[3].as_str()?.to_string(),
                    matched,
                    score,
                })
            })
            .collect();
        Found { total, hits }
    }

    fn mask(&self, key: &str, slugs: &[String]) -> u64 {
        let all = self.meta[key].as_array().map_or(&[][..], Vec::as_slice);
        slugs
            .iter()
            .filter_map(|s| all.iter().position(|t| t.as_str() == Some(s.as_str())))
            .fold(0, |m, i| m | 1 << i)
    }

    fn doc(&mut self, id: u32) -> Option<Value> {
        let chunk = self.meta["chunk"].as_u64()? as usize;
        let n = id as usize / chunk;
        if !self.chunks.contains_key(&n) {
            let url = self.meta["chunks"].get(n)?.as_str()?;
            let data = super::unwrap(&(self.fetch)(url)?)?;
            self.chunks.insert(n, data);
        }
        self.chunks[&n]["list"].get(id as usize % chunk).cloned()
    }
}

fn add_max(scores: &mut Postings, list: &[(u32, u64)], factor: u64) {
    for &(id, w) in list {
        let e = scores.entry(id).or_insert(0);
        *e = (*e).max(w * factor);
    }
}

/// A shard's `{stem: [gap, weight, ...]}` as (record id, weight) lists.
fn decode(terms: &Value) -> BTreeMap<String, Vec<(u32, u64)>> {
    let Some(map) = terms.as_object() else {
        return BTreeMap::new();
    };
    map.iter()
        .map(|(stem, flat)| {
            let flat: Vec<u64> = flat
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_u64).collect())
                .unwrap_or_default();
            let mut id = 0u64;
            let list = flat
                .chunks_exact(2)
                .map(|pair| {
                    id += pair[0];
                    (id as u32, pair[1])
                })
                .collect();
            (stem.clone(), list)
        })
        .collect()
}

/// Levenshtein distance over characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(here + 1);
            previous = here;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("ontheffing", "ontheffnig"), 2);
        assert_eq!(distance("schermtijd", "schermtyd"), 2);
        assert_eq!(distance("vlog", "vlog"), 0);
        assert_eq!(distance("", "abc"), 3);
    }
}
