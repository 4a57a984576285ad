//! The fields of one page: known kind, taxonomy terms, lengths, sources on legal
//! pages, image text, review dates, and fields that belong to another kind.

use crate::config::{CONFIG_FILE, MAX_DESCRIPTION, Taxonomy};
use crate::content::{Kind, Page};
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::site::Site;
use crate::urls::SiteUrls;
use crate::yaml::Spanned;

/// Check the front matter of `page`.
pub(super) fn check(site: &Site, urls: &SiteUrls, page: &Page, problems: &mut Vec<Diagnostic>) {
    let front = &page.front;
    if let Some(kind) = &front.kind
        && Kind::from_name(&kind.value).is_none()
    {
        let names: Vec<&str> = Kind::ALL.iter().map(|(n, _)| *n).collect();
        let hint = did_you_mean(&kind.value, names.iter().copied())
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
        problems.push(
            page.error_at(kind, format!("unknown kind `{}`", kind.value))
                .with_help(format!("{hint}The kinds are: {}.", names.join(", "))),
        );
    }
    foreign_fields(page, problems);
    for source in &front.sources {
        if let Some(url) = source.url.as_deref()
            && !crate::content::markdown::is_safe_url(url)
        {
            let at = page.find(url);
            problems.push(
                Diagnostic::error(format!("the source `{}` links to `{url}`, which is not a web address", source.title))
                    .in_file(&page.file)
                    .at_opt(at)
                    .with_help("a source URL starts with https:// (or http://, mailto:, or / for a page of this site)"),
            );
        }
    }
    // `related` shows a content page's title and description, so a generated
    // page (which has neither in front matter) does not qualify.
    for related in &front.related {
        if let Some(unbuilt) = urls.unbuilt(&related.value) {
            problems.push(
                page.error_at(
                    related,
                    format!("`related` points to {}", unbuilt.describe()),
                )
                .with_help(unbuilt.help()),
            );
        } else if !related.value.starts_with('/')
            || (urls.page(&related.value).is_none() && !urls.failed(&related.value))
        {
            let hint = urls.suggest(&related.value).map_or_else(
                || {
                    "write the URL of a page of this site, like /kaarten/risico/veiligheid/"
                        .to_string()
                },
                |b| format!("did you mean {b}?"),
            );
            problems.push(
                page.error_at(
                    related,
                    format!("`related` points to {}, which is not a page", related.value),
                )
                .with_help(hint),
            );
        } else if let Some(target) = urls.page(&related.value).map(|i| &site.pages[i])
            && crate::campaign::links_are_current(site, page)
        {
            let location = page.location(related, related.value.chars().count());
            problems.extend(super::publishing::ended_campaign_link(
                site, target, &page.file, location,
            ));
        }
    }
    for (taxonomy, values) in [
        (Taxonomy::Themes, &front.themes),
        (Taxonomy::Ages, &front.ages),
    ] {
        let terms = site.config.terms(taxonomy);
        for value in values {
            if terms.iter().all(|t| t.slug.value != value.value) {
                let slugs: Vec<&str> = terms.iter().map(|t| t.slug.value.as_str()).collect();
                let help = match did_you_mean(&value.value, slugs.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`? "),
                    None => String::new(),
                } + &format!(
                    "The {} in {CONFIG_FILE} are: {}.",
                    taxonomy.field(),
                    slugs.join(", ")
                );
                problems.push(
                    page.error_at(
                        value,
                        format!("unknown {} `{}`", taxonomy.singular(), value.value),
                    )
                    .with_help(help),
                );
            }
        }
    }
    let description = &front.description;
    let length = description.value.chars().count();
    if length > MAX_DESCRIPTION {
        problems.push(
            page.error_at(description, format!("the description is {length} characters long; at most {MAX_DESCRIPTION} fit in search results"))
                .with_help("shorten it to one sentence; put the rest in the text"),
        );
    }
    if description.value.trim().is_empty() {
        problems.push(
            page.error_at(description, "the description is empty")
                .with_help("write one sentence about the page"),
        );
    }
    if front.title.value.trim().is_empty() {
        problems.push(
            page.error_at(&front.title, "the title is empty")
                .with_help("write a title"),
        );
    }
    if let Some(legal) = &front.legal
        && legal.value
        && front.sources.is_empty()
    {
        problems.push(
                Diagnostic::error("this page has `legal: true` but no sources")
                    .in_file(&page.file)
                    .at_opt(page.location(legal, 5))
                    .with_help("add `sources:` with the title and date of each document the legal statements come from"),
            );
    }
    if let Some(image) = &front.image
        && front
            .image_alt
            .as_deref()
            .is_none_or(|a| a.trim().is_empty())
    {
        problems.push(
                page.error_at(image, "this image has no text alternative")
                    .with_help("add `image_alt:` describing what the image shows, for people who cannot see it"),
            );
    }
    freshness(site, page, problems);
}

/// Legal content goes stale: a `reviewed` date, or the `checked` date of an
/// argument card's law, older than `check.review_months` of site.yaml warns.
/// (A missing date on a sourced page is `wegwijs check`'s.)
fn freshness(site: &Site, page: &Page, problems: &mut Vec<Diagnostic>) {
    let months = site.config.check.review_months;
    if let Some(reviewed) = &page.front.reviewed
        && reviewed.value < site.now.months_before(months)
    {
        problems.push(
            stale("last reviewed", reviewed.value, months)
                .in_file(&page.file)
                .at_opt(page.location(reviewed, 10))
                .with_help("check the content (and the law) again, then update `reviewed`"),
        );
    }
    if let Some(law) = &page.front.law
        && law.value.checked < site.now.months_before(months)
    {
        let written = format!("checked: {}", law.value.checked);
        let location = page
            .source
            .find(&written)
            .map(|offset| Location::at_offset(&page.source, offset + "checked: ".len(), 10));
        problems.push(
            stale(
                "the law on this card was checked",
                law.value.checked,
                months,
            )
            .in_file(&page.file)
            .at_opt(location.or_else(|| page.location(law, 1)))
            .with_help("check `law` (and `plan`) against the sources again, then update `checked`"),
        );
    }
}

/// A warning that `what` was last done on `date`, longer than `months` ago.
pub(crate) fn stale(what: &str, date: crate::date::Date, months: u32) -> Diagnostic {
    Diagnostic::warning(format!(
        "{what} on {date}, more than {} ago",
        review_period(months)
    ))
    .with_code("stale-review")
}

/// `12` → "a year", `18` → "18 months".
pub(crate) fn review_period(months: u32) -> String {
    match months {
        12 => "a year".to_string(),
        1 => "a month".to_string(),
        n if n % 12 == 0 => format!("{} years", n / 12),
        n => format!("{n} months"),
    }
}

/// Which kind a card field belongs to.
const CARD_FIELDS: [(&str, Kind); 9] = [
    ("summary", Kind::RiskCard),
    ("tips", Kind::RiskCard),
    ("ask_your_child", Kind::RiskCard),
    ("question", Kind::ArgumentCard),
    ("for", Kind::ArgumentCard),
    ("against", Kind::ArgumentCard),
    ("talk", Kind::ArgumentCard),
    ("law", Kind::ArgumentCard),
    ("plan", Kind::ArgumentCard),
];

/// A card field on a page of another kind is a mistake, not something to ignore.
fn foreign_fields(page: &Page, problems: &mut Vec<Diagnostic>) {
    let front = &page.front;
    let present: [Option<Option<Location>>; 9] = [
        front.summary.as_ref().map(|v| at(page, v)),
        front.tips.as_ref().map(|v| at(page, v)),
        front.ask_your_child.as_ref().map(|v| at(page, v)),
        front.question.as_ref().map(|v| at(page, v)),
        front.arguments_for.as_ref().map(|v| at(page, v)),
        front.against.as_ref().map(|v| at(page, v)),
        front.talk.as_ref().map(|v| at(page, v)),
        front.law.as_ref().map(|v| at(page, v)),
        front.plan.as_ref().map(|v| at(page, v)),
    ];
    let kind = page.kind();
    for ((field, owner), location) in CARD_FIELDS.iter().zip(present) {
        if let Some(location) = location
            && *owner != kind
        {
            problems.push(
                Diagnostic::error(format!(
                    "`{field}` is a field of {} cards, but this is a {}",
                    owner_label(*owner),
                    kind.name()
                ))
                .in_file(&page.file)
                .at_opt(location)
                .with_help(format!("add `kind: {}` or remove `{field}`", owner.name())),
            );
        }
    }
}

fn owner_label(kind: Kind) -> &'static str {
    match kind {
        Kind::RiskCard => "risk",
        Kind::ArgumentCard => "argument",
        Kind::Page => "page",
        Kind::Campaign => "campaign",
        Kind::News => "news",
    }
}

/// The location of a field's value, pointing at the line before it for block
/// values (the key line), which is where an editor looks.
fn at<T>(page: &Page, value: &Spanned<T>) -> Option<Location> {
    page.location(value, 1)
}
