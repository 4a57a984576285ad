//! The template data of risk and argument cards.

use serde_json::{Value, json};

use crate::config::Taxonomy;
use crate::content::front_matter::Prompt;
use crate::content::typography::smart_quotes;
use crate::content::{Kind, Page, markdown};
use crate::site::Site;

/// What lists and embeds show of a card: `{ id, summary, tips }` for risk cards,
/// `{ id, question, for, against }` for argument cards; `None` for other kinds.
pub fn brief(page: &Page) -> Option<Value> {
    let front = &page.front;
    let id = page.card_id()?;
    let texts = |list: &Option<crate::yaml::Spanned<Vec<String>>>| -> Value {
        list.as_ref().map_or_else(
            || json!([]),
            |l| l.value.iter().map(|t| smart_quotes(t)).collect(),
        )
    };
    let text =
        |t: &Option<crate::yaml::Spanned<String>>| t.as_ref().map(|s| smart_quotes(&s.value));
    Some(match page.kind() {
        Kind::RiskCard => json!({
            "id": id,
            "summary": text(&front.summary),
            "tips": texts(&front.tips),
        }),
        _ => json!({
            "id": id,
            "question": text(&front.question),
            "for": texts(&front.arguments_for),
            "against": texts(&front.against),
        }),
    })
}

/// Everything a card page shows: the brief plus prompts, the law and the plan
/// (markdown rendered to safe HTML).
pub fn full(site: &Site, page: &Page) -> Option<Value> {
    let mut card = brief(page)?;
    let front = &page.front;
    let allow_raw = site.config.allow_raw_html;
    // Links in the law and the plan may be content paths (`@/…`), as in the body.
    let urls = crate::urls::SiteUrls::with_generated(site, std::iter::empty());
    let resolve = |link: &str| urls.href(link);
    let md = |text: &str| markdown::to_html_linked(text, allow_raw, &resolve);
    if let Value::Object(map) = &mut card {
        let prompts = front.ask_your_child.as_ref().or(front.talk.as_ref());
        map.insert(
            "prompts".into(),
            prompts.map_or_else(|| json!([]), |p| prompt_values(site, &p.value)),
        );
        map.insert(
            "law".into(),
            front.law.as_ref().map_or(Value::Null, |law| {
                json!({
                    "html": md(&law.value.text),
                    "checked": law.value.checked,
                })
            }),
        );
        map.insert(
            "plan".into(),
            front
                .plan
                .as_ref()
                .map_or(Value::Null, |plan| Value::String(md(&plan.value))),
        );
    }
    Some(card)
}

fn prompt_values(site: &Site, prompts: &[Prompt]) -> Value {
    let terms = site.config.terms(Taxonomy::Ages);
    prompts
        .iter()
        .map(|p| {
            let ages: Vec<Value> = p
                .ages
                .iter()
                .filter_map(|a| terms.iter().find(|t| t.slug.value == a.value))
                .map(|t| json!({ "slug": t.slug.value, "label": t.label }))
                .collect();
            json!({ "text": smart_quotes(&p.text), "ages": ages })
        })
        .collect()
}

/// The pages a page names in `related`, as `{ title, description, url, kind }`.
pub fn related(site: &Site, page: &Page) -> Value {
    page.front
        .related
        .iter()
        .filter_map(|url| {
            let path = url.value.split('#').next().unwrap_or("");
            site.page_by_url(path).map(|p| {
                json!({
                    "title": p.title(),
                    "description": p.front.description.value,
                    "url": url.value,
                    "kind": p.kind().name(),
                })
            })
        })
        .collect()
}
