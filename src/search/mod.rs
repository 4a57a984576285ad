//! Site search, built at build time. Every page, card, tool start page and
//! campaign (never a draft, a tool step or a review page) becomes a record;
//! records become a term index in Snowball Dutch stems, weighted with BM25 and
//! field boosts (title, description, headings, body), split into shards by the
//! first three letters of each stem, so a query loads only the shards of its
//! words, and prefixes and typos of a word sit in the same shard. Page data
//! (title, description, kind) is split into chunks loaded for the results only.
//!
//! ```text
//! pages + body HTML ──records──▶ Record + text ──count──▶ Counts (numbers into Words)
//!                                       Counts + Words ──index──▶ Index ──files──▶ File
//! ```
//!
//! Only [`count`] reads text; `serve` keeps the counts and indexes again after
//! an edit without reading any other page.
//!
//! Every file is a script that registers itself (`wegwijsZoeken.load({...})`):
//! the page loads them with `<script src>`, so the strict CSP needs no
//! `connect-src` and no `wasm-unsafe-eval`. The ranking lives twice, in
//! [`query`] (for `wegwijs search` and tests) and in the theme's
//! `js/zoeken.js`; `tests/search.rs` holds them to the same results.

pub mod count;
pub mod page;
pub mod query;
pub mod records;
pub mod text;

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde_json::{Value, json};

pub use count::{Counts, Known, Words};
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

/// What a word adds to the index: its stem and, for a compound the site also
/// has in parts, the stems of the parts (at half weight): "schermtijd" is found
/// with "scherm tijd"; as a joined pair, its first word and the second's stem
/// ("Loot box" and "Loot boxen" are both `loot` + `box`, found with
/// "lootbox"), as the page script joins the words a parent types. (Stemming
/// the pair as one word would cost a stem per pair, most of the words a site has.)
#[derive(Clone, Copy)]
struct WordInfo {
    stem: Option<u32>,
    joined: Option<u32>,
    parts: Option<(u32, u32)>,
}

/// Build the index over `records`, whose words are counted in `counts` (by
/// record) as numbers into `words`, and check the synonyms of `site.yaml`
/// against it: a synonym that means a word no page has finds nothing. Reads no
/// page text: `serve` indexes again after an edit from the kept counts.
pub fn index(
    config: &SiteConfig,
    records: Vec<Record>,
    words: &mut Words,
    counts: &[Counts],
) -> Result<Index, Vec<Diagnostic>> {
    // The words some record uses (`serve`'s table may hold words edited away:
    // they must not split compounds, or serve and a full build would differ);
    // bit 1: as a word, bit 2: joined with its neighbour.
    let mut used = vec![0u8; words.len()];
    for c in counts {
        for &(slot, _) in &c.slots {
            used[(slot >> 1) as usize] |= 1 << (slot & 1);
        }
    }
    let ids: Vec<u32> = (0..words.len() as u32)
        .filter(|&id| used[id as usize] != 0)
        .collect();
    // A compound's parts, for words used as words (a joined pair is not split).
    let parts: Vec<Option<(u32, u32)>> = {
        let vocabulary: HashSet<&str> = ids
            .iter()
            .map(|&id| words.text(id))
            .filter(|w| w.len() >= 4)
            .collect();
        ids.par_iter()
            .map(|&id| {
                if used[id as usize] & 1 == 0 {
                    return None;
                }
                let (a, b) = records::split_compound(words.text(id), &vocabulary)?;
                Some((words.id(a)?, words.id(b)?))
            })
            .collect()
    };
    // What is stemmed: words met alone, compounds' parts, and the second word
    // of each pair (not the pair itself: see `WordInfo`).
    let mut to_stem: Vec<u32> = ids
        .iter()
        .zip(&parts)
        .flat_map(|(&id, parts)| {
            let alone = (used[id as usize] & 1 != 0).then_some(id);
            let second = words
                .joined(id)
                .filter(|_| used[id as usize] & 2 != 0)
                .map(|(_, b)| b);
            let (a, b) = parts.unzip();
            [alone, second, a, b]
        })
        .flatten()
        .collect();
    to_stem.sort_unstable();
    to_stem.dedup();
    words.stem_all(&to_stem);
    let words = &*words;
    let stem_of = |id: u32| words.stem(id).unwrap_or_default();
    let joined_terms: Vec<Option<String>> = ids
        .iter()
        .map(|&id| {
            let (a, b) = words.joined(id).filter(|_| used[id as usize] & 2 != 0)?;
            Some([words.text(a), stem_of(b)].concat())
        })
        .collect();
    let mut stem_ids: HashMap<&str, u32> = HashMap::default();
    let mut names: Vec<&str> = Vec::new();
    let mut info: Vec<Option<WordInfo>> = vec![None; words.len()];
    for ((&id, parts), joined) in ids.iter().zip(parts).zip(&joined_terms) {
        let stem =
            (used[id as usize] & 1 != 0).then(|| intern(&mut stem_ids, &mut names, stem_of(id)));
        let joined = joined
            .as_deref()
            .map(|term| intern(&mut stem_ids, &mut names, term));
        let parts = parts.map(|(a, b)| {
            let a = intern(&mut stem_ids, &mut names, stem_of(a));
            (a, intern(&mut stem_ids, &mut names, stem_of(b)))
        });
        info[id as usize] = Some(WordInfo {
            stem,
            joined,
            parts,
        });
    }
    let postings = weighted(counts, &info, &names);
    let mut stems = Stems::default();
    let synonyms = synonyms(config, &postings, &mut stems)?;
    Ok(Index {
        records,
        postings,
        synonyms,
    })
}

/// The postings of every stem (numbered as in `info`, named in `names`):
/// (record, BM25 weight × 100) by record, at most [`MAX_POSTINGS`] each.
fn weighted(
    counts: &[Counts],
    info: &[Option<WordInfo>],
    names: &[&str],
) -> BTreeMap<String, Vec<(u32, u32)>> {
    // Each record's term frequencies (in halves) by stem, in parallel.
    let by_record: Vec<Vec<(u32, u32)>> = counts
        .par_iter()
        .map_init(
            || (vec![0u32; names.len()], Vec::new()),
            |(tf, touched), c| {
                let mut add = |stem: u32, weight: u32| {
                    if tf[stem as usize] == 0 {
                        touched.push(stem);
                    }
                    tf[stem as usize] += weight;
                };
                for &(slot, weight) in &c.slots {
                    let Some(i) = info[(slot >> 1) as usize] else {
                        continue;
                    };
                    let term = if slot & 1 == 0 { i.stem } else { i.joined };
                    if let Some(term) = term {
                        add(term, weight);
                    }
                    if slot & 1 == 0
                        && let Some((a, b)) = i.parts
                    {
                        add(a, weight / 2);
                        add(b, weight / 2);
                    }
                }
                touched
                    .drain(..)
                    .map(|stem| (stem, std::mem::take(&mut tf[stem as usize])))
                    .collect()
            },
        )
        .collect();
    // How many records use each stem, and so its IDF.
    let mut df = vec![0u32; names.len()];
    for list in &by_record {
        for &(stem, _) in list {
            df[stem as usize] += 1;
        }
    }
    // BM25, with the length part of each record worked out once.
    let n = counts.len().max(1) as f64;
    let average = counts
        .iter()
        .map(|c| f64::from(c.length.max(1)))
        .sum::<f64>()
        / n;
    let norms: Vec<f64> = counts
        .iter()
        .map(|c| 1.2 * (0.25 + 0.75 * f64::from(c.length.max(1)) / average))
        .collect();
    let idf: Vec<f64> = df
        .iter()
        .map(|&df| {
            let df = f64::from(df);
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        })
        .collect();
    // Turned around: each stem's postings, records in order, weighed as they
    // are filed (no table of term frequencies by stem in between).
    let mut postings: Vec<Vec<(u32, u32)>> = df
        .iter()
        .map(|&df| Vec::with_capacity(df as usize))
        .collect();
    for (record, list) in by_record.into_iter().enumerate() {
        let norm = norms[record];
        for (stem, halves) in list {
            let f = f64::from(halves) / 2.0;
            let score = idf[stem as usize] * f * 2.2 / (f + norm);
            let weight = ((score * 100.0).round() as u32).max(1);
            postings[stem as usize].push((record as u32, weight));
        }
    }
    names
        .par_iter()
        .zip(postings)
        .filter(|(_, list)| !list.is_empty())
        .map(|(stem, mut list)| {
            if list.len() > MAX_POSTINGS {
                // The best-weighted (the first record first on a tie), in record order.
                list.select_nth_unstable_by(MAX_POSTINGS, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                list.truncate(MAX_POSTINGS);
                list.sort_unstable();
            }
            (stem.to_string(), list)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// The number of `stem`, numbering it if it is new.
fn intern<'w>(ids: &mut HashMap<&'w str, u32>, names: &mut Vec<&'w str>, stem: &'w str) -> u32 {
    let next = names.len() as u32;
    *ids.entry(stem).or_insert_with(|| {
        names.push(stem);
        next
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
                let mut number = itoa::Buffer::new();
                for (j, &(id, weight)) in list.iter().enumerate() {
                    if j > 0 {
                        body.push(',');
                    }
                    body.push_str(number.format(id - last));
                    body.push(',');
                    body.push_str(number.format(weight));
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
