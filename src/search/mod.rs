//! Site search, built at build time. Every page, card, tool start page and
//! campaign (never a draft, a tool step or a review page) becomes a record;
//! records become a term index in Snowball Dutch stems, weighted with BM25 and
//! field boosts (title, description, headings, body), split into shards by the
//! first three letters of each stem, so a query loads only the shards of its
//! words, and prefixes and typos of a word sit in the same shard. Page data
//! (title, description, kind) is split into chunks loaded for the results only.
//!
//! Every file is a script that registers itself (`wegwijsZoeken.load({...})`):
//! the page loads them with `<script src>`, so the strict CSP needs no
//! `connect-src` and no `wasm-unsafe-eval`. The ranking lives twice, in
//! [`query`] (for `wegwijs search` and tests) and in the theme's
//! `js/zoeken.js`; `tests/search.rs` holds them to the same results.

pub mod page;
pub mod query;
pub mod records;
pub mod text;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde_json::{Value, json};

pub use records::{Record, records};
use text::Stems;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;

/// Where the index files go; `/js/` is cached as immutable (names are fingerprinted).
pub const DIR: &str = "js/zoeken";
/// Pages per chunk of page data: a result list loads at most one chunk per result.
pub const CHUNK: usize = 64;
/// At most this many pages per stem are kept (the best-weighted): a word on
/// every page of a 10,000-page site would otherwise be a shard on its own.
pub const MAX_POSTINGS: usize = 1000;
/// Field boosts: a word in the title counts five times a word in the body.
pub const TITLE: f64 = 5.0;
/// Boost of the description.
pub const DESCRIPTION: f64 = 3.0;
/// Boost of a heading (and a card's question).
pub const HEADING: f64 = 2.0;
/// Boost of body text.
pub const BODY: f64 = 1.0;

/// The shard key of a stem: its first three letters.
pub fn shard_key(stem: &str) -> &str {
    stem.char_indices().nth(3).map_or(stem, |(i, _)| &stem[..i])
}

/// The shard a stem lives in, of `shards` (a power of two).
pub fn shard_of(stem: &str, shards: usize) -> usize {
    let hash = shard_key(stem).bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    hash as usize % shards.max(1)
}

/// How many shards for `pages` pages: about eight pages per shard, a power of
/// two, at most 1024 (a first query then loads a few shards of a few KB each).
pub fn shard_count(pages: usize) -> usize {
    (pages / 8).clamp(1, 1024).next_power_of_two()
}

/// The built index: what the files hold, before they are written.
pub struct Index {
    /// Every record, in id order.
    pub records: Vec<Record>,
    /// For each stem, (record id, weight) by record id.
    pub postings: BTreeMap<String, Vec<(u32, u32)>>,
    /// Synonyms: the stem of the word a parent types, and the stems of what it means.
    pub synonyms: BTreeMap<String, Vec<Vec<String>>>,
}

/// The words of one record: weighted counts by word (`words`) and by joined
/// word pair (`joined`), and its length in words. Kept per record by `serve`
/// between rebuilds (see [`index_counted`]).
#[derive(Default)]
pub struct RecordWords {
    words: HashMap<String, f64>,
    joined: HashMap<String, f64>,
    length: usize,
}

fn add(map: &mut HashMap<String, f64>, word: &str, weight: f64) {
    match map.get_mut(word) {
        Some(w) => *w += weight,
        None => {
            map.insert(word.to_string(), weight);
        }
    }
}

/// Count the words of a record. Titles and headings also count each pair of
/// words joined, so "lootbox" finds "Loot boxes" ("scherm tijd" → "schermtijd"
/// is joined on the query side).
pub fn count(record: &Record) -> RecordWords {
    let mut out = RecordWords::default();
    let mut previous = String::new();
    for (boost, field) in &record.fields {
        previous.clear();
        text::each_word(field, |word| {
            out.length += 1;
            if *boost >= HEADING && !previous.is_empty() {
                previous.push_str(word);
                add(&mut out.joined, &previous, boost * 0.5);
            }
            previous.clear();
            if !text::is_stop_word(word) {
                add(&mut out.words, word, *boost);
                if *boost >= HEADING {
                    previous.push_str(word);
                }
            }
        });
    }
    out
}

/// What a word adds to the index: its stem and, for a compound the site also
/// has in parts, the stems of the parts (at half weight): "schermtijd" is found
/// with "scherm tijd".
struct WordInfo {
    stem: u32,
    parts: Option<(u32, u32)>,
}

/// Build the index over `records`, and check the synonyms of `site.yaml`
/// against it: a synonym that means a word no page has finds nothing. Words
/// are counted per record in parallel, each distinct word is stemmed once.
pub fn index(config: &SiteConfig, records: Vec<Record>) -> Result<Index, Vec<Diagnostic>> {
    let counted: Vec<RecordWords> = records.par_iter().map(count).collect();
    index_counted(config, records, &counted)
}

/// [`index`] with each record's words already counted (`counted[i]` is
/// `count(&records[i])`): a rebuild after one page changed counts one record.
pub fn index_counted(
    config: &SiteConfig,
    records: Vec<Record>,
    counted: &[RecordWords],
) -> Result<Index, Vec<Diagnostic>> {
    let mut distinct: HashSet<&str> = HashSet::default();
    for c in counted {
        distinct.extend(c.words.keys().map(String::as_str));
        distinct.extend(c.joined.keys().map(String::as_str));
    }
    let vocabulary: HashSet<&str> = distinct.iter().copied().filter(|w| w.len() >= 4).collect();
    let mut distinct: Vec<&str> = distinct.into_iter().collect();
    distinct.sort_unstable();
    // (word, its stem, the stems of its parts), in parallel, then stems numbered.
    let stemmed: Vec<(String, Option<(String, String)>)> = distinct
        .par_iter()
        .map_init(Stems::default, |stems, word| {
            let stem = stems.stem(word).to_string();
            let parts = records::split_compound(word, &vocabulary)
                .map(|(a, b)| (stems.stem(a).to_string(), stems.stem(b).to_string()));
            (stem, parts)
        })
        .collect();
    let mut ids: HashMap<String, u32> = HashMap::default();
    let mut names: Vec<String> = Vec::new();
    let mut intern = |stem: &String| -> u32 {
        if let Some(&id) = ids.get(stem) {
            return id;
        }
        let id = names.len() as u32;
        names.push(stem.clone());
        ids.insert(stem.clone(), id);
        id
    };
    let info: HashMap<&str, WordInfo> = distinct
        .iter()
        .zip(&stemmed)
        .map(|(word, (stem, parts))| {
            let info = WordInfo {
                stem: intern(stem),
                parts: parts.as_ref().map(|(a, b)| (intern(a), intern(b))),
            };
            (*word, info)
        })
        .collect();
    // Term frequencies by stem id, per record.
    let tfs: Vec<Vec<(u32, f64)>> = counted
        .par_iter()
        .map(|c| {
            let mut tf: HashMap<u32, f64> = HashMap::default();
            for (word, &w) in &c.words {
                if let Some(i) = info.get(word.as_str()) {
                    *tf.entry(i.stem).or_default() += w;
                    if let Some((a, b)) = i.parts {
                        *tf.entry(a).or_default() += w * 0.5;
                        *tf.entry(b).or_default() += w * 0.5;
                    }
                }
            }
            for (word, &w) in &c.joined {
                if let Some(i) = info.get(word.as_str()) {
                    *tf.entry(i.stem).or_default() += w;
                }
            }
            tf.into_iter().collect()
        })
        .collect();
    let mut raw: Vec<Vec<(u32, f64)>> = vec![Vec::new(); names.len()];
    for (id, tf) in tfs.iter().enumerate() {
        for &(stem, f) in tf {
            raw[stem as usize].push((id as u32, f));
        }
    }
    let lengths: Vec<usize> = counted.iter().map(|c| c.length.max(1)).collect();
    let n = records.len().max(1) as f64;
    let average = lengths.iter().sum::<usize>() as f64 / n;
    let postings = raw
        .into_par_iter()
        .zip(names)
        .filter(|(list, _)| !list.is_empty())
        .map(|(mut list, stem)| {
            let df = list.len() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let mut weighted: Vec<(u32, u32)> = list
                .drain(..)
                .map(|(id, f)| {
                    let len = lengths[id as usize] as f64;
                    let score = idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * len / average));
                    (id, ((score * 100.0).round() as u32).max(1))
                })
                .collect();
            if weighted.len() > MAX_POSTINGS {
                weighted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                weighted.truncate(MAX_POSTINGS);
            }
            weighted.sort_unstable();
            (stem, weighted)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<BTreeMap<_, _>>();
    let mut stems = Stems::default();
    let synonyms = synonyms(config, &postings, &mut stems)?;
    Ok(Index {
        records,
        postings,
        synonyms,
    })
}

/// The synonyms of `site.yaml` as stems, each checked: one word on the left,
/// and every word on the right on at least one page.
fn synonyms(
    config: &SiteConfig,
    postings: &BTreeMap<String, Vec<(u32, u32)>>,
    stems: &mut Stems,
) -> Result<BTreeMap<String, Vec<Vec<String>>>, Vec<Diagnostic>> {
    let mut out: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    let mut problems = Vec::new();
    for synonym in &config.search.synonyms {
        let word = stems.terms(&synonym.word.value);
        if word.len() != 1 {
            problems.push(config.error_at(
                &synonym.word,
                format!("`{}` is not one word", synonym.word.value),
                "write the word a parent types, e.g. `mobiel`; put the words it means in `means`",
            ));
            continue;
        }
        let means = stems.terms(&synonym.means.value);
        let missing: Vec<&String> = means
            .iter()
            .filter(|s| !postings.contains_key(*s))
            .collect();
        if means.is_empty() || !missing.is_empty() {
            problems.push(config.error_at(
                &synonym.means,
                format!(
                    "no page has the words `{}`, so this synonym finds nothing",
                    synonym.means.value
                ),
                "write words that are on the pages parents should find, e.g. `telefoon`",
            ));
            continue;
        }
        out.entry(word[0].clone()).or_default().push(means);
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// One file of the index: where it goes and what it holds.
pub struct File {
    /// The path in the output, e.g. `js/zoeken/s3.1a2b3c4d.js`.
    pub path: String,
    /// The script.
    pub bytes: Vec<u8>,
}

/// A stem and its postings, as (record id, weight).
type Term<'a> = (&'a str, &'a [(u32, u32)]);

/// The index as files; the first is the entry point (`meta`) the search page links.
pub fn files(index: &Index, config: &SiteConfig) -> Vec<File> {
    let shards = shard_count(index.records.len());
    let mut by_shard: Vec<Vec<Term>> = vec![Vec::new(); shards];
    for (stem, list) in &index.postings {
        by_shard[shard_of(stem, shards)].push((stem, list));
    }
    // Written directly, not through `serde_json::Value`: a 10,000-page index
    // holds millions of numbers. Same text as `json!` would give.
    let mut files: Vec<File> = by_shard
        .into_par_iter()
        .enumerate()
        .map(|(n, terms)| {
            let mut body = format!("wegwijsZoeken.load({{\"n\":{n},\"t\":\"shard\",\"terms\":{{");
            for (i, (stem, list)) in terms.into_iter().enumerate() {
                if i > 0 {
                    body.push(',');
                }
                body.push_str(&Value::from(stem).to_string());
                body.push_str(":[");
                // Record ids as gaps, then weights: small numbers that compress well.
                let mut last = 0;
                for (j, &(id, weight)) in list.iter().enumerate() {
                    if j > 0 {
                        body.push(',');
                    }
                    let _ = write!(body, "{},{weight}", id - last);
                    last = id;
                }
                body.push(']');
            }
            body.push_str("}});\n");
            fingerprinted(&format!("s{n}"), body)
        })
        .collect();
    let shard_urls: Vec<String> = files.iter().map(|f| format!("/{}", f.path)).collect();
    let mut chunk_urls = Vec::new();
    for (n, chunk) in index.records.chunks(CHUNK).enumerate() {
        let list: Vec<Value> = chunk
            .iter()
            .map(|r| json!([r.url, r.title, r.description, r.kind]))
            .collect();
        let file = script(
            &format!("d{n}"),
            json!({ "t": "docs", "n": n, "list": list }),
        );
        chunk_urls.push(format!("/{}", file.path));
        files.push(file);
    }
    let filters: Vec<u32> = index
        .records
        .iter()
        .flat_map(|r| [r.themes, r.ages])
        .collect();
    let meta = json!({
        "t": "meta",
        "shards": shard_urls,
        "chunks": chunk_urls,
        "chunk": CHUNK,
        "themes": config.taxonomies.themes.iter().map(|t| &t.slug.value).collect::<Vec<_>>(),
        "ages": config.taxonomies.ages.iter().map(|t| &t.slug.value).collect::<Vec<_>>(),
        "filters": filters,
        "synonyms": index.synonyms,
        "stop": text::STOP_WORDS,
    });
    files.insert(0, script("meta", meta));
    files
}

fn script(name: &str, data: Value) -> File {
    fingerprinted(name, format!("wegwijsZoeken.load({data});\n"))
}

fn fingerprinted(name: &str, body: String) -> File {
    let asset = crate::assets::fingerprinted(&format!("{DIR}/{name}.js"), body.into_bytes());
    File {
        path: asset.out,
        bytes: asset.bytes,
    }
}

/// The JSON inside an index file (the inverse of the `load(...)` wrapper).
pub fn unwrap(script: &str) -> Option<Value> {
    let json = script
        .trim()
        .strip_prefix("wegwijsZoeken.load(")?
        .strip_suffix(");")?;
    serde_json::from_str(json).ok()
}
