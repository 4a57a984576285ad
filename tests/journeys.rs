//! Keyboard journeys through the decision tool "Heb ik een ontheffing nodig?" in a
//! real browser: Debian's Chromium, driven over WebDriver by ChromeDriver. Every step
//! is taken with the keyboard only (Tab, Shift+Tab, Space, arrow keys, digits, Enter,
//! Backspace) through WebDriver key actions; scripts only read the page. Texts to
//! expect come from the rule file (`content/tools/ontheffing.rules.yaml`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::future::Future;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::chromedriver::ChromeDriver;
use fantoccini::Client;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::{Value, json};

const START: &str = "/tools/ontheffing/";
/// How long a step may take before a wait gives up (a generous bound, not a speed test).
const STEP: Duration = Duration::from_secs(10);
/// The most Tab presses to reach a control: a bound against a focus trap.
const MAX_TABS: usize = 80;

// ---------------------------------------------------------------------------------
// The rule file: the texts the browser must show.

fn rules() -> &'static Value {
    static RULES: OnceLock<Value> = OnceLock::new();
    RULES.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("content/tools/ontheffing.rules.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    })
}

fn question(id: &str) -> &'static Value {
    let q = &rules()["questions"][id];
    assert!(q.is_object(), "no question {id} in the rule file");
    q
}

fn ask(id: &str) -> &'static str {
    question(id)["ask"].as_str().unwrap()
}

fn is_number(id: &str) -> bool {
    question(id)["type"] == "number"
}

/// How an answer reads in "Jouw antwoorden": the number with its unit, or the label.
fn answer_label(id: &str, answer: &str) -> String {
    let q = question(id);
    if is_number(id) {
        match q["unit"].as_str() {
            Some(unit) => format!("{answer} {unit}"),
            None => answer.to_owned(),
        }
    } else {
        let label = q["options"][answer]["label"].as_str();
        label
            .unwrap_or_else(|| panic!("no option {answer} for {id}"))
            .to_owned()
    }
}

fn outcome(id: &str) -> &'static Value {
    let o = &rules()["outcomes"][id];
    assert!(o.is_object(), "no outcome {id} in the rule file");
    o
}

/// The verdict in words, as the page writes it after "Uitkomst:".
fn verdict_words(outcome_id: &str) -> &'static str {
    match outcome(outcome_id)["verdict"].as_str().unwrap() {
        "needed" => "Ontheffing nodig",
        "likely-needed" => "Waarschijnlijk nodig",
        "not-needed" => "Niet nodig",
        "unsure" => "Niet zeker",
        other => panic!("unknown verdict {other}"),
    }
}

fn query(path: &[(&str, &str)]) -> String {
    path.iter()
        .map(|(q, a)| format!("{q}={a}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn href(path: &[(&str, &str)]) -> String {
    if path.is_empty() {
        START.to_owned()
    } else {
        format!("{START}?{}", query(path))
    }
}

// ---------------------------------------------------------------------------------
// ChromeDriver and the browser session.

/// The bundled site, built once for this test binary and served: its address.
fn site() -> &'static str {
    static SITE: OnceLock<String> = OnceLock::new();
    SITE.get_or_init(|| common::serve(&common::build_bundled_site_for("journeys")))
}

/// Serve the bundled site, start ChromeDriver and a browser, run `test`, close the
/// browser. A panic in `test` still shuts everything down (the guard drops).
async fn with_browser<F, Fut>(test: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()>,
{
    let base = site().to_owned();
    let mut driver = ChromeDriver::start();
    let client = driver.session().await;
    test(Browser {
        client: client.clone(),
        base,
    })
    .await;
    client.close().await.unwrap();
    drop(driver);
}

// ---------------------------------------------------------------------------------
// A browser page, seen and used like a keyboard user would.

struct Browser {
    client: Client,
    base: String,
}

/// What has the focus.
#[derive(Debug, Clone, serde::Deserialize)]
struct Focus {
    tag: String,
    id: String,
    class: String,
    name: String,
    kind: String,
    value: String,
    text: String,
    href: String,
}

/// Read the focused element (read only).
const FOCUS_JS: &str = "var e = document.activeElement || document.body; return {
    tag: e.tagName.toLowerCase(), id: e.id || '', class: e.getAttribute('class') || '',
    name: e.getAttribute('name') || '', kind: e.getAttribute('type') || '',
    value: typeof e.value === 'string' ? e.value : '',
    text: e.textContent.replace(/\\s+/g, ' ').trim(), href: e.getAttribute('href') || '' };";

impl Browser {
    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
        // The script has taken over the tool when it marks it.
        self.wait_for("the script to enhance the tool", || async {
            self.count("#beslishulp.tool-js form.tool-form, #beslishulp.tool-js .outcome")
                .await
                > 0
        })
        .await;
    }

    /// Poll `ready` until it holds; panics after `STEP` with `what`.
    async fn wait_for<F, Fut>(&self, what: &str, mut ready: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = bool>,
    {
        let deadline = Instant::now() + STEP;
        while !ready().await {
            if Instant::now() > deadline {
                panic!(
                    "waited {STEP:?} for {what}; url {}, focus {:?}",
                    self.url().await,
                    self.focus().await
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn url(&self) -> String {
        self.client.current_url().await.unwrap().to_string()
    }

    async fn query(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        url.query().unwrap_or("").to_owned()
    }

    async fn read(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap()
    }

    async fn focus(&self) -> Focus {
        serde_json::from_value(self.read(FOCUS_JS, vec![]).await).unwrap()
    }

    /// The text of the first element matching `css`, spaces collapsed.
    async fn text(&self, css: &str) -> Option<String> {
        let v = self
            .read(
                "var e = document.querySelector(arguments[0]);
                 return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null;",
                vec![json!(css)],
            )
            .await;
        v.as_str().map(str::to_owned)
    }

    /// The texts of every element matching `css`.
    async fn texts(&self, css: &str) -> Vec<String> {
        let v = self
            .read(
                "return Array.from(document.querySelectorAll(arguments[0]),
                   function (e) { return e.textContent.replace(/\\s+/g, ' ').trim(); });",
                vec![json!(css)],
            )
            .await;
        serde_json::from_value(v).unwrap()
    }

    /// The attribute `attr` of every element matching `css`.
    async fn attrs(&self, css: &str, attr: &str) -> Vec<Option<String>> {
        let v = self
            .read(
                "var name = arguments[1];
                 return Array.from(document.querySelectorAll(arguments[0]),
                   function (e) { return e.getAttribute(name); });",
                vec![json!(css), json!(attr)],
            )
            .await;
        serde_json::from_value(v).unwrap()
    }

    async fn count(&self, css: &str) -> usize {
        let v = self
            .read(
                "return document.querySelectorAll(arguments[0]).length;",
                vec![json!(css)],
            )
            .await;
        usize::try_from(v.as_u64().unwrap()).unwrap()
    }

    async fn is_hidden(&self, css: &str) -> bool {
        let v = self
            .read(
                "var e = document.querySelector(arguments[0]);
                 return !e || e.hidden || e.getClientRects().length === 0;",
                vec![json!(css)],
            )
            .await;
        v.as_bool().unwrap()
    }

    // --- the keyboard --------------------------------------------------------------

    /// Type `keys` (characters or `Key`s as chars) into whatever has the focus.
    async fn keys(&self, keys: &str) {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for c in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(actions).await.unwrap();
    }

    async fn press(&self, key: Key) {
        self.keys(&char::from(key).to_string()).await;
    }

    async fn shift_tab(&self) {
        let shift = char::from(Key::Shift);
        let tab = char::from(Key::Tab);
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: shift })
            .then(KeyAction::Down { value: tab })
            .then(KeyAction::Up { value: tab })
            .then(KeyAction::Up { value: shift });
        self.client.perform_actions(actions).await.unwrap();
    }

    /// Press Tab until the focus is on an element `wanted` accepts.
    async fn tab_to(&self, what: &str, wanted: impl Fn(&Focus) -> bool) -> Focus {
        let mut trail = Vec::new();
        for _ in 0..MAX_TABS {
            self.press(Key::Tab).await;
            let focus = self.focus().await;
            if wanted(&focus) {
                return focus;
            }
            trail.push(format!("{} #{} {:?}", focus.tag, focus.id, focus.text));
        }
        panic!("{MAX_TABS} Tabs did not reach {what}; the focus went to:\n{trail:#?}");
    }

    /// Tab to the "Opnieuw beginnen" link and press Enter.
    async fn restart(&self) {
        self.tab_to("Opnieuw beginnen", |f| {
            f.tag == "a" && f.text == "Opnieuw beginnen"
        })
        .await;
        self.press(Key::Enter).await;
    }

    /// Answer the question `id` with the keyboard: Tab to its control, type the number
    /// or pick the radio (Space, or the arrow keys), then submit with Enter.
    async fn answer(&self, id: &str, answer: &str) {
        if is_number(id) {
            let field = format!("antwoord-{id}");
            self.tab_to(&field, |f| f.id == field).await;
            self.keys(answer).await;
            self.press(Key::Enter).await;
            return;
        }
        let first = self
            .tab_to(&format!("the radios of {id}"), |f| {
                f.tag == "input" && f.kind == "radio" && f.name == id
            })
            .await;
        if first.value == answer {
            self.press(Key::Space).await;
        } else {
            let options = self.count(&format!("input[type=radio][name={id}]")).await;
            let mut focus = first;
            for _ in 1..options {
                self.press(Key::Down).await;
                focus = self.focus().await;
                if focus.value == answer {
                    break;
                }
            }
            assert_eq!(
                focus.value, answer,
                "the arrow keys reach {answer} for {id}"
            );
        }
        let checked = self
            .read(
                "var e = document.querySelector('input[name=' + arguments[0] + ']:checked');
                 return e ? e.value : null;",
                vec![json!(id)],
            )
            .await;
        assert_eq!(checked, json!(answer), "{answer} is chosen for {id}");
        let button = self
            .tab_to("Volgende", |f| f.tag == "button" && f.text == "Volgende")
            .await;
        assert_eq!(button.kind, "submit");
        self.press(Key::Enter).await;
    }

    // --- what the page must show ---------------------------------------------------

    /// Wait until the URL holds exactly the answers of `path`.
    async fn expect_query(&self, path: &[(&str, &str)]) {
        let expected = query(path);
        self.wait_for(&format!("the URL query {expected:?}"), || async {
            self.query().await == expected
        })
        .await;
    }

    /// Wait until the focus is on an element `wanted` accepts.
    async fn expect_focus(&self, what: &str, wanted: impl Fn(&Focus) -> bool) -> Focus {
        self.wait_for(&format!("the focus on {what}"), || async {
            wanted(&self.focus().await)
        })
        .await;
        self.focus().await
    }

    /// The question `id` is shown after the answers `path`, with its heading; with
    /// `focused` the focus is on that heading.
    async fn expect_question(&self, id: &str, path: &[(&str, &str)], focused: bool) {
        self.expect_query(path).await;
        let heading_id = format!("vraag-{id}");
        let css = format!("#beslishulp #{heading_id}");
        self.wait_for(&format!("the question {id}"), || async {
            self.count(&css).await == 1
        })
        .await;
        let tag = if path.is_empty() { "h2" } else { "h1" };
        assert_eq!(
            self.text(&format!("#beslishulp legend > {tag}.tool-ask"))
                .await
                .as_deref(),
            Some(ask(id)),
            "the question {id} is asked in an {tag} in its legend"
        );
        if focused {
            let focus = self
                .expect_focus(&format!("the heading of {id}"), |f| f.id == heading_id)
                .await;
            assert_eq!(focus.tag, tag);
            assert_eq!(
                focus.text,
                ask(id),
                "the focused heading asks question {id}"
            );
        }
        // One question at a time, numbered, and said in the live region.
        assert_eq!(self.count("#beslishulp fieldset.tool-question").await, 1);
        let caption = self.text("#beslishulp .tool-caption").await.unwrap();
        let number = format!("Vraag {} van hoogstens", path.len() + 1);
        assert!(caption.starts_with(&number), "caption {caption:?}");
        if focused {
            let status = self.text("#beslishulp-status").await.unwrap();
            assert!(status.ends_with(&caption), "live region {status:?}");
        }
        if is_number(id) {
            assert_eq!(
                self.count(&format!("#beslishulp input#antwoord-{id}.tool-number"))
                    .await,
                1,
                "one number field for {id}"
            );
        } else {
            // Every option of the rule file as a radio, labelled with its label.
            let radios = self
                .read(
                    "return Array.from(document.querySelectorAll('#beslishulp .tool-radio'),
                       function (r) { var i = r.querySelector('input[type=radio]');
                         return [i.name, i.value, r.querySelector('label[for=\"' + i.id + '\"]').textContent]; });",
                    vec![],
                )
                .await;
            let radios: Vec<(String, String, String)> = serde_json::from_value(radios).unwrap();
            let mut values: Vec<&str> = radios.iter().map(|(_, v, _)| v.as_str()).collect();
            values.sort_unstable();
            let options: Vec<&str> = question(id)["options"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(values, options, "the options of {id}");
            for (name, value, label) in &radios {
                assert_eq!(name, id);
                assert_eq!(*label, answer_label(id, value), "the label of {id}={value}");
            }
        }
        assert_eq!(self.count("#beslishulp .error-summary").await, 0);
        // The intro only on the first question; "Terug" and "Opnieuw beginnen" after it.
        assert_eq!(self.is_hidden("#beslishulp-intro").await, !path.is_empty());
        if path.is_empty() {
            assert_eq!(self.count("#beslishulp a[data-nav]").await, 0);
        } else {
            assert_eq!(
                self.attrs("#beslishulp a[data-nav=back]", "href").await,
                vec![Some(href(&path[..path.len() - 1]))],
                "Terug goes one answer back"
            );
            assert_eq!(
                self.texts("#beslishulp .tool-restart a").await,
                vec!["Opnieuw beginnen"]
            );
        }
        self.expect_answers(path).await;
        let title = self.client.title().await.unwrap();
        if !path.is_empty() {
            assert!(
                title.starts_with(&format!("{} | ", ask(id))),
                "title {title:?}"
            );
        }
    }

    /// The outcome `id` is shown after the answers `path`; with `focused` the focus is
    /// on its heading.
    async fn expect_outcome(&self, id: &str, path: &[(&str, &str)], focused: bool) {
        self.expect_query(path).await;
        let css = format!("#beslishulp .outcome[data-outcome=\"{id}\"]");
        self.wait_for(&format!("the outcome {id}"), || async {
            self.count(&css).await == 1
        })
        .await;
        let title = outcome(id)["title"].as_str().unwrap();
        assert_eq!(
            self.texts("#beslishulp h1").await,
            vec![title],
            "one h1: the outcome's title"
        );
        assert_eq!(
            self.text(&format!("{css} .outcome__verdict")).await,
            Some(format!("Uitkomst: {}", verdict_words(id))),
            "the verdict in words"
        );
        assert_eq!(self.count("#beslishulp form").await, 0, "no question left");
        assert!(self.is_hidden("#beslishulp-intro").await);
        if focused {
            let focus = self
                .expect_focus("the outcome's heading", |f| f.tag == "h1")
                .await;
            assert_eq!(focus.text, title, "the focused heading is the outcome");
            assert_eq!(
                self.text("#beslishulp-status").await,
                Some(format!("Uitkomst: {title}"))
            );
        }
        assert_eq!(
            self.attrs("#beslishulp a[data-nav=back]", "href").await,
            vec![Some(href(&path[..path.len() - 1]))],
            "Terug goes one answer back"
        );
        let url = self.url().await;
        assert_eq!(
            self.text("#beslishulp [data-share]").await,
            Some(url.clone()),
            "the address to share is this page's"
        );
        assert!(url.ends_with(&href(path)));
        assert_eq!(
            self.texts("#beslishulp .tool-restart a").await,
            vec!["Opnieuw beginnen"]
        );
        self.expect_answers(path).await;
        let page_title = self.client.title().await.unwrap();
        assert!(
            page_title.starts_with(&format!("{title} | ")),
            "title {page_title:?}"
        );
    }

    /// "Jouw antwoorden" lists `path`: the question, the answer in words, and a "Wijzig"
    /// link to that question.
    async fn expect_answers(&self, path: &[(&str, &str)]) {
        if path.is_empty() {
            assert_eq!(self.count("#beslishulp .tool-answers").await, 0);
            return;
        }
        assert_eq!(
            self.text("#beslishulp .tool-answers h2").await.as_deref(),
            Some("Jouw antwoorden")
        );
        let rows = "#beslishulp .tool-answers .summary-list__row";
        let asks: Vec<&str> = path.iter().map(|(q, _)| ask(q)).collect();
        assert_eq!(self.texts(&format!("{rows} dt")).await, asks);
        let labels: Vec<String> = path.iter().map(|(q, a)| answer_label(q, a)).collect();
        assert_eq!(
            self.texts(&format!("{rows} dd:not(.summary-list__change)"))
                .await,
            labels
        );
        let changes: Vec<String> = asks
            .iter()
            .map(|q| format!("Wijzig je antwoord op: {q}"))
            .collect();
        assert_eq!(
            self.texts(&format!("{rows} .summary-list__change a")).await,
            changes
        );
        let hrefs: Vec<Option<String>> = (0..path.len()).map(|i| Some(href(&path[..i]))).collect();
        assert_eq!(
            self.attrs(&format!("{rows} .summary-list__change a"), "href")
                .await,
            hrefs
        );
    }

    /// The error summary has the focus and says `message`, and the question `id`
    /// shows it too; the URL still holds only `path`.
    async fn expect_error(&self, id: &str, path: &[(&str, &str)], message: &str) {
        self.expect_focus("the error summary", |f| f.class == "error-summary")
            .await;
        assert_eq!(
            self.text("#beslishulp .error-summary h2").await.as_deref(),
            Some("Er is een probleem")
        );
        assert_eq!(
            self.texts("#beslishulp .error-summary li a").await,
            vec![message]
        );
        assert_eq!(self.query().await, query(path), "no answer added");
        assert_eq!(
            self.attrs("#beslishulp .error-summary", "role").await,
            vec![Some("alert".to_owned())]
        );
        assert_eq!(
            self.attrs("#beslishulp .error-summary a", "href").await,
            vec![Some(format!(
                "#antwoord-{id}{}",
                if is_number(id) { "" } else { "-0" }
            ))]
        );
        assert_eq!(
            self.text(&format!("#fout-{id}")).await,
            Some(format!("Fout: {message}"))
        );
        assert_eq!(
            self.count(&format!("fieldset.has-error[data-question={id}]"))
                .await,
            1
        );
        assert_eq!(
            self.text("#beslishulp-status").await.unwrap(),
            format!(
                "Er is een probleem. {}",
                self.text("#beslishulp .tool-caption").await.unwrap()
            )
        );
        let title = self.client.title().await.unwrap();
        assert!(title.starts_with("Fout: "), "title {title:?}");
        if is_number(id) {
            assert_eq!(
                self.attrs(&format!("#antwoord-{id}"), "aria-invalid").await,
                vec![Some("true".to_owned())]
            );
        }
    }

    /// A journey from the start page, keyboard only, answering `path`, to `end`: an
    /// outcome, or the question that follows the answers.
    async fn journey(&self, path: &[(&str, &str)], end: &str) {
        self.goto(START).await;
        let first = rules()["start"].as_str().unwrap();
        self.expect_question(first, &[], false).await;
        for (i, (id, answer)) in path.iter().enumerate() {
            self.answer(id, answer).await;
            let done = &path[..=i];
            match path.get(i + 1) {
                Some((next, _)) => self.expect_question(next, done, true).await,
                None if rules()["questions"].get(end).is_some() => {
                    self.expect_question(end, done, true).await;
                }
                None => self.expect_outcome(end, done, true).await,
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// One journey per outcome.

#[tokio::test(flavor = "current_thread")]
async fn journey_to_nodig() {
    with_browser(|b| async move {
        let path = [
            ("leeftijd", "9"),
            ("opnames", "video"),
            ("commercieel", "ja"),
            ("wie", "bedrijf"),
        ];
        b.journey(&path, "nodig").await;
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn journey_to_waarschijnlijk_nodig() {
    with_browser(|b| async move {
        let path = [
            ("leeftijd", "12"),
            ("opnames", "video"),
            ("commercieel", "ja"),
            ("wie", "ouders"),
        ];
        b.journey(&path, "waarschijnlijk-nodig").await;
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn journey_to_niet_nodig() {
    with_browser(|b| async move {
        let path = [
            ("leeftijd", "0"),
            ("opnames", "video"),
            ("commercieel", "nee"),
            ("hoe-vaak", "af-en-toe"),
        ];
        b.journey(&path, "niet-nodig").await;
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn journey_to_onzeker_commercieel() {
    with_browser(|b| async move {
        let path = [
            ("leeftijd", "9"),
            ("opnames", "video"),
            ("commercieel", "twijfel"),
        ];
        b.journey(&path, "onzeker-commercieel").await;
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn journey_to_dertien_plus() {
    with_browser(|b| async move {
        b.journey(&[("leeftijd", "13")], "dertien-plus").await;
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn journey_to_onzeker_vaak() {
    with_browser(|b| async move {
        let path = [
            ("leeftijd", "12"),
            ("opnames", "video"),
            ("commercieel", "nee"),
            ("hoe-vaak", "vaak"),
        ];
        b.journey(&path, "onzeker-vaak").await;
        // Outcome addresses are shared and printed: each outcome names the rules date
        // and says it is no legal advice, not only the start page.
        let disclaimer = b.text("#beslishulp .tool-disclaimer").await.unwrap();
        assert!(
            disclaimer.contains("Het is geen juridisch advies")
                && disclaimer.contains("golden op "),
            "{disclaimer:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn journey_to_eigen_kanaal() {
    with_browser(|b| async move {
        let path = [
            ("leeftijd", "0"),
            ("opnames", "video"),
            ("commercieel", "ja"),
            ("wie", "kind"),
        ];
        b.journey(&path, "eigen-kanaal").await;
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn photos_follow_the_route_of_videos() {
    with_browser(|b| async move {
        let path = [
            ("leeftijd", "8"),
            ("opnames", "fotos"),
            ("commercieel", "ja"),
            ("wie", "bedrijf"),
        ];
        b.journey(&path, "nodig").await;
    })
    .await;
}

// ---------------------------------------------------------------------------------
// Going back, errors, starting again, shared addresses.

#[tokio::test(flavor = "current_thread")]
async fn browser_back_from_the_outcome_shows_the_previous_questions() {
    with_browser(|b| async move {
        let path = [
            ("leeftijd", "9"),
            ("opnames", "video"),
            ("commercieel", "ja"),
            ("wie", "bedrijf"),
        ];
        b.journey(&path, "nodig").await;
        b.client.back().await.unwrap();
        b.expect_question("wie", &path[..3], true).await;
        b.client.back().await.unwrap();
        b.expect_question("commercieel", &path[..2], true).await;
        b.client.forward().await.unwrap();
        b.expect_question("wie", &path[..3], true).await;
        b.client.forward().await.unwrap();
        b.expect_outcome("nodig", &path, true).await;
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn terug_with_the_keyboard_goes_one_question_back() {
    with_browser(|b| async move {
        let path = [
            ("leeftijd", "9"),
            ("opnames", "video"),
            ("commercieel", "ja"),
        ];
        b.journey(&path, "wie").await;
        // The focus is on the heading of "wie"; "Terug" comes just before it.
        b.shift_tab().await;
        let focus = b.focus().await;
        assert_eq!((focus.tag.as_str(), focus.text.as_str()), ("a", "Terug"));
        b.press(Key::Enter).await;
        b.expect_question("commercieel", &path[..2], true).await;
        // From the outcome too.
        b.answer("commercieel", "twijfel").await;
        let path = [
            ("leeftijd", "9"),
            ("opnames", "video"),
            ("commercieel", "twijfel"),
        ];
        b.expect_outcome("onzeker-commercieel", &path, true).await;
        b.shift_tab().await;
        let focus = b.focus().await;
        assert_eq!((focus.tag.as_str(), focus.text.as_str()), ("a", "Terug"));
        b.press(Key::Enter).await;
        b.expect_question("commercieel", &path[..2], true).await;
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn an_empty_answer_shows_the_error_summary() {
    with_browser(|b| async move {
        b.goto(START).await;
        b.expect_question("leeftijd", &[], false).await;
        b.tab_to("the age field", |f| f.id == "antwoord-leeftijd")
            .await;
        b.press(Key::Enter).await;
        b.expect_error("leeftijd", &[], "Vul een getal in van 0 tot 17.")
            .await;
        // The link in the summary takes the focus to the field.
        b.tab_to("the link in the summary", |f| {
            f.href == "#antwoord-leeftijd"
        })
        .await;
        b.press(Key::Enter).await;
        b.expect_focus("the age field", |f| f.id == "antwoord-leeftijd")
            .await;
        b.keys("9").await;
        b.press(Key::Enter).await;
        let path = [("leeftijd", "9")];
        b.expect_question("opnames", &path, true).await;
        // No radio chosen: Tab past the radios to "Volgende".
        b.tab_to("Volgende", |f| f.tag == "button").await;
        b.press(Key::Enter).await;
        b.expect_error("opnames", &path, "Kies een antwoord.").await;
        b.tab_to("the link in the summary", |f| {
            f.href == "#antwoord-opnames-0"
        })
        .await;
        b.press(Key::Enter).await;
        b.expect_focus("the first radio", |f| f.id == "antwoord-opnames-0")
            .await;
        b.press(Key::Space).await;
        b.tab_to("Volgende", |f| f.tag == "button").await;
        b.press(Key::Enter).await;
        b.expect_question(
            "commercieel",
            &[("leeftijd", "9"), ("opnames", "video")],
            true,
        )
        .await;
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn an_age_out_of_range_shows_the_error() {
    with_browser(|b| async move {
        b.goto(START).await;
        b.tab_to("the age field", |f| f.id == "antwoord-leeftijd")
            .await;
        b.keys("18").await;
        b.press(Key::Enter).await;
        b.expect_error("leeftijd", &[], "Het getal moet van 0 tot 17 zijn.")
            .await;
        assert_eq!(
            b.read(
                "return document.getElementById('antwoord-leeftijd').value;",
                vec![]
            )
            .await,
            json!("18"),
            "the wrong answer stays in the field"
        );
        // Not a whole number.
        let field = b
            .tab_to("the age field", |f| f.id == "antwoord-leeftijd")
            .await;
        b.press(Key::End).await;
        for _ in 0..field.value.len() {
            b.press(Key::Backspace).await;
        }
        b.keys("8,5").await;
        b.press(Key::Enter).await;
        b.expect_error(
            "leeftijd",
            &[],
            "Vul alleen cijfers in: een heel getal van 0 tot 17.",
        )
        .await;
        // Below the range.
        let field = b
            .tab_to("the age field", |f| f.id == "antwoord-leeftijd")
            .await;
        b.press(Key::End).await;
        for _ in 0..field.value.len() {
            b.press(Key::Backspace).await;
        }
        b.keys("-1").await;
        b.press(Key::Enter).await;
        b.expect_error("leeftijd", &[], "Het getal moet van 0 tot 17 zijn.")
            .await;
        // Corrected: on to the next question.
        let field = b
            .tab_to("the age field", |f| f.id == "antwoord-leeftijd")
            .await;
        b.press(Key::End).await;
        for _ in 0..field.value.len() {
            b.press(Key::Backspace).await;
        }
        b.keys("17").await;
        b.press(Key::Enter).await;
        b.expect_outcome("dertien-plus", &[("leeftijd", "17")], true)
            .await;
        // An address with an age out of range asks again, with the error.
        b.goto(&format!("{START}?leeftijd=18")).await;
        b.expect_error(
            "leeftijd",
            &[("leeftijd", "18")],
            "Het getal moet van 0 tot 17 zijn.",
        )
        .await;
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn opnieuw_beginnen_with_the_keyboard_returns_to_the_first_question() {
    with_browser(|b| async move {
        // From a question.
        b.goto(START).await;
        b.answer("leeftijd", "9").await;
        b.expect_question("opnames", &[("leeftijd", "9")], true)
            .await;
        b.restart().await;
        b.expect_question("leeftijd", &[], true).await;
        // From an outcome.
        let path = [
            ("leeftijd", "8"),
            ("opnames", "fotos"),
            ("commercieel", "twijfel"),
        ];
        b.journey(&path, "onzeker-commercieel").await;
        b.restart().await;
        b.expect_question("leeftijd", &[], true).await;
        assert_eq!(
            b.read(
                "return document.getElementById('antwoord-leeftijd').value;",
                vec![]
            )
            .await,
            json!(""),
            "the form starts empty"
        );
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_shared_address_opens_on_the_outcome() {
    with_browser(|b| async move {
        let path = [
            ("leeftijd", "9"),
            ("opnames", "video"),
            ("commercieel", "ja"),
            ("wie", "bedrijf"),
        ];
        b.goto(&href(&path)).await;
        b.expect_outcome("nodig", &path, false).await;
        // "Wijzig" (keyboard) goes to that question, with the answers before it.
        let change = format!("Wijzig je antwoord op: {}", ask("commercieel"));
        b.tab_to("Wijzig commercieel", |f| f.text == change).await;
        b.press(Key::Enter).await;
        b.expect_question("commercieel", &path[..2], true).await;
    })
    .await;
}

// ---------------------------------------------------------------------------------
// Site search (/zoeken/): from the header field, with the keyboard only.

impl Browser {
    /// Wait until the search page shows results for what was asked, and return
    /// the result links.
    async fn search_results(&self) -> Vec<String> {
        self.wait_for("search results", || async {
            self.text("#zoekstatus")
                .await
                .is_some_and(|t| t.contains("resultaat") || t.contains("resultaten"))
        })
        .await;
        self.attrs("#zoeklijst li > a", "href")
            .await
            .into_iter()
            .flatten()
            .collect()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_parent_searches_from_the_header_and_filters_with_the_keyboard() {
    with_browser(|b| async move {
        b.client.goto(&format!("{}/", b.base)).await.unwrap();
        b.tab_to("the search field in the header", |f| {
            f.id == "site-zoekterm"
        })
        .await;
        b.keys("loot box").await;
        b.press(Key::Enter).await;
        let results = b.search_results().await;
        assert_eq!(
            results.first().map(String::as_str),
            Some("/thema/gamen/loot-boxes/"),
            "{results:?}"
        );
        assert!(
            b.url().await.contains("/zoeken/?q=loot"),
            "{}",
            b.url().await
        );
        // The script took over: filters shown, the no-JS sentence hidden.
        assert!(!b.is_hidden(".search-filters").await);
        assert!(b.is_hidden(".search-nojs").await);
        let status = b.attrs("#zoekstatus", "aria-live").await;
        assert_eq!(status, [Some("polite".to_owned())]);
        // Each result: a link, its kind and its description.
        assert!(b.count("#zoeklijst li .search-kind").await >= 1);
        assert!(b.count("#zoeklijst li p").await >= 1);

        // A new question in the page's own field; a theme filter with Space.
        b.tab_to("the search field", |f| f.id == "zoekterm").await;
        b.keys(&format!(
            "{}ontheffing",
            char::from(Key::Backspace).to_string().repeat(8)
        ))
        .await;
        b.press(Key::Enter).await;
        b.wait_for("results for ontheffing", || async {
            b.text("#zoekstatus")
                .await
                .is_some_and(|t| t.contains("ontheffing"))
        })
        .await;
        let all = b.search_results().await;
        assert!(
            all.iter().take(3).any(|u| u == "/tools/ontheffing/"),
            "{all:?}"
        );
        // The tool has no theme: a theme filter leaves it out.
        let theme = "vloggen-met-kinderen";
        b.tab_to("the theme filter", |f| {
            f.name == "thema" && f.value == theme
        })
        .await;
        b.press(Key::Space).await;
        b.wait_for("the filter in the address and the results", || async {
            let links = b.attrs("#zoeklijst li > a", "href").await;
            b.query().await.contains(&format!("thema={theme}"))
                && !links.is_empty()
                && !links.contains(&Some("/tools/ontheffing/".to_owned()))
        })
        .await;
        let filtered = b.search_results().await;
        assert!(filtered.len() <= all.len(), "{filtered:?} vs {all:?}");
        assert!(
            filtered
                .iter()
                .any(|u| u.starts_with(&format!("/thema/{theme}/"))),
            "{filtered:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_query_table_in_chromium() {
    with_browser(|b| async move {
        for (query, expected) in [
            ("ontheffing", "/tools/ontheffing/"),
            (
                "schermtijd 6 jaar",
                "/thema/schermtijd/richtlijn-schermgebruik/",
            ),
            ("loot box", "/thema/gamen/loot-boxes/"),
            (
                "privacy baby",
                "/kaarten/risico/privacy-en-digitale-voetafdruk/",
            ),
            ("ontheffnig", "/tools/ontheffing/"),
        ] {
            let q = query.replace(' ', "+");
            b.client
                .goto(&format!("{}/zoeken/?q={q}", b.base))
                .await
                .unwrap();
            let results = b.search_results().await;
            assert!(
                results.iter().take(3).any(|u| u == expected),
                "{query}: {expected} not in the top 3 of {results:?}"
            );
        }
    })
    .await;
}

// ---------------------------------------------------------------------------------
// On a phone: a 360 px wide screen, of which the first 800 px is the first screen.

const PHONE_WIDTH: u32 = 360;
const FIRST_SCREEN: f64 = 800.0;

impl Browser {
    /// Make the viewport a phone's (headless Chromium: the window is the viewport).
    async fn phone(&self) {
        self.client
            .set_window_size(PHONE_WIDTH, FIRST_SCREEN as u32)
            .await
            .unwrap();
        // The window manager may apply the size a moment later.
        self.wait_for("a viewport as wide as a phone", || async {
            self.read("return window.innerWidth;", vec![]).await == json!(PHONE_WIDTH)
        })
        .await;
    }

    /// Open `path` without waiting for the tool's script (pages without a tool).
    async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    /// The bottom edge, in px from the top of the page, of the first visible element
    /// matching `css`; None when there is none.
    async fn bottom(&self, css: &str) -> Option<f64> {
        let v = self
            .read(
                "var all = document.querySelectorAll(arguments[0]);
                 for (var i = 0; i < all.length; i++) {
                   var r = all[i].getBoundingClientRect();
                   if (r.width > 0 && r.height > 0) return r.bottom + window.scrollY;
                 }
                 return null;",
                vec![json!(css)],
            )
            .await;
        v.as_f64()
    }

    /// `css` is visible and ends within the first screen.
    async fn expect_first_screen(&self, what: &str, css: &str) {
        match self.bottom(css).await {
            Some(bottom) => assert!(
                bottom <= FIRST_SCREEN,
                "{what} ({css}) ends at {bottom} px, below the first {FIRST_SCREEN} px"
            ),
            None => panic!("{what} ({css}) is not on the page {}", self.url().await),
        }
    }

    /// Nothing is wider than the screen (no sideways scrolling).
    async fn expect_no_sideways_scroll(&self) {
        let width = self
            .read("return document.documentElement.scrollWidth;", vec![])
            .await;
        assert!(
            width.as_u64().is_some_and(|w| w <= u64::from(PHONE_WIDTH)),
            "the page is {width} px wide on a {PHONE_WIDTH} px screen: {}",
            self.url().await
        );
    }
}

/// The taxonomy terms of `content/site.yaml`: (slug) per theme or age group.
fn terms(taxonomy: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/site.yaml");
    let site: Value = serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let terms: Vec<String> = site["taxonomies"][taxonomy]
        .as_array()
        .unwrap_or_else(|| panic!("no {taxonomy} in {}", path.display()))
        .iter()
        .map(|t| t["slug"].as_str().unwrap().to_owned())
        .collect();
    assert!(!terms.is_empty(), "no {taxonomy} in {}", path.display());
    terms
}

#[tokio::test(flavor = "current_thread")]
async fn home_on_a_phone_shows_every_theme_every_age_and_the_tool_first() {
    with_browser(|b| async move {
        b.phone().await;
        b.open("/").await;
        // The worst case: the site is built on a day a campaign runs, so its banner
        // (a labelled aside, not a live region) is above the first screen's links.
        let banner = b
            .read(
                "var a = document.querySelector('aside.campaign-banner');
                 if (!a) return null;
                 var name = document.getElementById(a.getAttribute('aria-labelledby'));
                 return { name: name ? name.textContent : '', height: a.getBoundingClientRect().height,
                   live: a.closest('[aria-live], [role=alert], [role=status]') !== null };",
                vec![],
            )
            .await;
        assert_eq!(
            banner["name"], "Blijf in Beeld",
            "the home page shows the running campaign's banner: {banner}"
        );
        assert!(banner["height"].as_f64().is_some_and(|h| h > 0.0), "{banner}");
        assert_eq!(banner["live"], false, "{banner}");
        for theme in terms("themes") {
            let css = format!("main a[href=\"/thema/{theme}/\"]");
            b.expect_first_screen(&format!("the theme {theme}"), &css)
                .await;
        }
        for age in terms("ages") {
            let css = format!("main a[href=\"/leeftijden/{age}/\"]");
            b.expect_first_screen(&format!("the age group {age}"), &css)
                .await;
        }
        let css = format!("main a[href=\"{START}\"]");
        b.expect_first_screen("the decision tool", &css).await;
        b.expect_no_sideways_scroll().await;
        // The card overview links the tool too.
        b.open("/kaarten/").await;
        assert!(b.bottom(&css).await.is_some(), "/kaarten/ links the tool");
    })
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_tool_on_a_phone_starts_with_its_first_question() {
    let first = rules()["start"].as_str().unwrap();
    with_browser(|b| async move {
        b.phone().await;
        b.goto(START).await;
        let legend = format!("#beslishulp [data-question=\"{first}\"] legend");
        b.expect_first_screen("the first question", &legend).await;
        b.expect_first_screen("its answer field", "#beslishulp form input")
            .await;
        b.expect_no_sideways_scroll().await;
    })
    .await;
}

/// Every outcome heading (one example per outcome from the rule file) keeps its words
/// whole on a phone: no "Arbeidsinspecti-e" broken over two lines.
#[tokio::test(flavor = "current_thread")]
async fn outcome_headings_keep_their_words_whole_on_a_phone() {
    let examples = rules()["examples"].as_array().unwrap();
    let outcomes = rules()["outcomes"].as_object().unwrap();
    with_browser(|b| async move {
        b.phone().await;
        let mut seen = std::collections::BTreeSet::new();
        for example in examples {
            let id = example["outcome"].as_str().unwrap();
            if !seen.insert(id) {
                continue;
            }
            let answers: Vec<(String, String)> = example["answers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(q, a)| (q.clone(), a.as_str().map_or(a.to_string(), str::to_owned)))
                .collect();
            let path: Vec<(&str, &str)> = answers
                .iter()
                .map(|(q, a)| (q.as_str(), a.as_str()))
                .collect();
            b.goto(&href(&path)).await;
            let broken = b
                .read(
                    "var h = document.querySelector('#beslishulp .outcome h1'), broken = [];
                     if (!h) return ['(no heading)'];
                     var walk = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
                     while (walk.nextNode()) {
                       var n = walk.currentNode, re = /\\S+/g, m;
                       while ((m = re.exec(n.data))) {
                         var r = document.createRange();
                         r.setStart(n, m.index);
                         r.setEnd(n, m.index + m[0].length);
                         var tops = {};
                         Array.from(r.getClientRects()).forEach(function (x) {
                           tops[Math.round(x.top)] = true;
                         });
                         if (Object.keys(tops).length > 1) broken.push(m[0]);
                       }
                     }
                     if (h.scrollWidth > h.clientWidth) broken.push('(wider than the screen)');
                     return broken;",
                    vec![],
                )
                .await;
            assert_eq!(broken, json!([]), "outcome {id}: words broken over lines");
            b.expect_no_sideways_scroll().await;
        }
        assert_eq!(seen.len(), outcomes.len(), "an example for every outcome");
    })
    .await;
}

/// Cards on a phone: text nearly as wide as the screen (no 232 px column inside
/// nested boxes), "Voor" and "Tegen" styled apart, and a table of contents whose
/// links all land on a part of the card.
#[tokio::test(flavor = "current_thread")]
async fn cards_on_a_phone_use_the_width_and_have_a_table_of_contents() {
    with_browser(|b| async move {
        b.phone().await;
        for card in [
            "/kaarten/argument/zet-ik-mijn-kind-in-onze-vlogs/",
            "/kaarten/risico/veiligheid/",
        ] {
            b.open(card).await;
            let narrowest = b
                .read(
                    "var best = null;
                     document.querySelectorAll('.card-sheet li, .card-sheet p').forEach(function (e) {
                       // Block text only: not the contents list, not the inline label.
                       if (e.closest('.card-toc') || getComputedStyle(e).display === 'inline-block') return;
                       var w = e.getBoundingClientRect().width;
                       if (w > 0 && (!best || w < best.width))
                         best = { width: w, text: e.textContent.slice(0, 60) };
                     });
                     return best;",
                    vec![],
                )
                .await;
            assert!(
                narrowest["width"].as_f64().is_some_and(|w| w >= 260.0),
                "{card}: a text column of {narrowest} on a {PHONE_WIDTH} px screen"
            );
            let targets = b.attrs(".card-toc a", "href").await;
            assert!(targets.len() >= 3, "{card}: a table of contents {targets:?}");
            for target in targets.into_iter().flatten() {
                let id = target.trim_start_matches('#');
                assert_eq!(b.count(&format!("[id=\"{id}\"]")).await, 1, "{card}: {target}");
            }
            b.expect_no_sideways_scroll().await;
        }
        b.open("/kaarten/argument/zet-ik-mijn-kind-in-onze-vlogs/")
            .await;
        let colours = b
            .read(
                "return ['#voor', '#tegen'].map(function (s) {
                   var e = document.querySelector(s);
                   return e ? getComputedStyle(e).backgroundColor : null;
                 });",
                vec![],
            )
            .await;
        assert!(
            colours[0].is_string() && colours[0] != colours[1],
            "Voor and Tegen look alike: {colours}"
        );
    })
    .await;
}
