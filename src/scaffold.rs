//! `wegwijs new <kind> <path>`: a new content file with every required field
//! filled with a Dutch placeholder (`VUL IN: …`) and a comment on what belongs
//! there. `check` lists each placeholder still to fill; the file builds as it is,
//! so an editor can look at it in the site straight away.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::date::Date;
use crate::diagnostics::Diagnostic;

/// The kinds of file `new` makes, as typed on the command line.
pub const KINDS: [&str; 6] = [
    "page",
    "risk-card",
    "argument-card",
    "campaign",
    "news",
    "rules",
];

/// How long a new campaign runs until the editor sets its own dates: long enough
/// to see it on the site while writing, short enough not to linger unnoticed.
const CAMPAIGN_DAYS: u32 = 27;

/// Where a new file of `kind` at `path` goes: below `<root>/content/` unless the
/// path already starts with `content/`, with `.md` or `.rules.yaml` added.
pub fn target(root: &Path, kind: &str, path: &Path) -> PathBuf {
    let path = path.strip_prefix("content").unwrap_or(path);
    let mut name = path.to_string_lossy().into_owned();
    let extension = if kind == "rules" {
        ".rules.yaml"
    } else {
        ".md"
    };
    if !name.ends_with(extension) {
        name = name.trim_end_matches(".md").to_string() + extension;
    }
    root.join("content").join(name)
}

/// The text of a new file of `kind`; `today` fills the dates, `name` (the file
/// name without extension) the short link of a campaign.
pub fn template(kind: &str, today: Date, name: &str) -> Option<String> {
    let text = match kind {
        "page" => format!(
            "---
# Een nieuwe pagina. Vervang elke VUL IN; `wegwijs check` toont wat nog openstaat.
title: \"VUL IN: de titel, kort en in gewone woorden\"
# Eén zin over de pagina, hoogstens 160 tekens (zoekmachines en lijsten tonen hem).
description: \"VUL IN: één zin over wat de lezer hier leest\"
# Thema's en leeftijden uit content/site.yaml; haal weg wat niet past.
themes: []
ages: []
# De dag dat je de inhoud (en de wet) voor het laatst hebt nagekeken.
reviewed: {today}
# Zet legal: true als de pagina over regels of wetten gaat; dan zijn bronnen verplicht.
# legal: true
# sources:
#   - {{ title: \"de titel van het document\", date: {today} }}
---

VUL IN: begin met waar het om gaat, in korte zinnen en in de je-vorm.

## VUL IN: een tussenkop

VUL IN: de tekst.
"
        ),
        "risk-card" => format!(
            "---
# Een informatiekaart: één risico, te lezen in een minuut, te printen op één A4.
title: \"VUL IN: het risico in een paar woorden\"
description: \"VUL IN: één zin over het risico, hoogstens 160 tekens\"
kind: risk-card
# Thema's en leeftijden uit content/site.yaml, bijvoorbeeld [vloggen-met-kinderen].
themes: []
reviewed: {today}
# Eén zin: het risico, voor op de kaart.
summary: \"VUL IN: het risico in één zin\"
# 3 tot 6 korte dingen die een ouder kan doen.
tips:
  - \"VUL IN: eerste tip\"
  - \"VUL IN: tweede tip\"
  - \"VUL IN: derde tip\"
# Vragen om met je kind te bespreken; ages is optioneel.
ask_your_child:
  - text: \"VUL IN: een vraag aan je kind\"
    ages: []
# Verplicht: waar de informatie vandaan komt, met de datum van het document.
sources:
  - {{ title: \"VUL IN: titel van het document\", date: {today} }}
---

VUL IN: wat het risico is, waarom het ertoe doet, en een voorbeeld.
"
        ),
        "argument-card" => format!(
            "---
# Een argumentenkaart: een keuze afwegen en erover praten met je kind.
title: \"VUL IN: de keuze in een paar woorden\"
description: \"VUL IN: één zin over de keuze, hoogstens 160 tekens\"
kind: argument-card
# Thema's en leeftijden uit content/site.yaml, bijvoorbeeld [vloggen-met-kinderen].
themes: []
reviewed: {today}
legal: true
# De keuze zoals een ouder die stelt.
question: \"VUL IN: de vraag, bijvoorbeeld: Zet ik mijn kind in onze vlogs?\"
# Minstens twee argumenten aan elke kant, zodat de kaart in evenwicht blijft.
for:
  - \"VUL IN: een argument voor\"
  - \"VUL IN: nog een argument voor\"
against:
  - \"VUL IN: een argument tegen\"
  - \"VUL IN: nog een argument tegen\"
# Om over te praten, waar het past per leeftijd.
talk:
  - text: \"VUL IN: een vraag om het gesprek te beginnen\"
    ages: []
# Wat de regels nu zeggen, in gewone woorden, met bron en datum. Plannen zijn geen wet.
law:
  checked: {today}
  text: \"VUL IN: wat de regels nu zeggen, met de bron en de datum\"
sources:
  - {{ title: \"VUL IN: titel van het document\", date: {today} }}
---

VUL IN: meer uitleg (mag je weglaten).
"
        ),
        "campaign" => {
            let ends = today.days_after(CAMPAIGN_DAYS);
            format!(
                "---
# Een campagne: een pagina over de campagne, met een balk (banner) op de site en een
# kort adres, alleen van starts tot en met ends. Vervang elke VUL IN; `wegwijs check`
# toont wat nog openstaat. Uitleg: docs/redactie.md, Campagnes en nieuws.
title: \"VUL IN: de naam van de campagne\"
description: \"VUL IN: één zin over de campagne, hoogstens 160 tekens\"
kind: campaign
# De eerste en de laatste dag van de campagne (allebei doen mee), als JJJJ-MM-DD.
# Daarbuiten verdwijnen de balk en het korte adres vanzelf; deze pagina blijft.
starts: {today}
ends: {ends}
# De tekst in de balk: één korte zin die zegt waarom je doorklikt (hoogstens 120 tekens).
banner: \"VUL IN: de tekst van de balk, één korte zin\"
# Een kort adres voor op posters en in berichten; het leidt naar deze pagina zolang de
# campagne loopt. Verander het als je wilt, of haal de regel weg.
short_url: /{name}
# Thema's uit content/site.yaml: dan staat de balk alleen bij die thema's.
# Laat de lijst leeg voor een balk op elke pagina.
themes: []
# Lopen er meer campagnes tegelijk, dan komt de laagste weight eerst (hoogstens twee balken).
weight: 10
reviewed: {today}
# Een eigen afbeelding voor sociale media (anders maakt de site er een). Haal de # weg
# bij beide regels, zet het bestand in static/img/ en beschrijf wat erop staat.
# image: /img/{name}.png
# image_alt: Wat de afbeelding laat zien, in één zin.
# Gaat de campagne over regels of wetten? Noem dan de bron met de datum.
# sources:
#   - {{ title: \"de titel van het document\", date: {today} }}
---

VUL IN: waar de campagne over gaat, wie haar maakt en wat de lezer kan doen.
"
            )
        }
        "news" => format!(
            "---
# Een nieuwsbericht: wat er is gebeurd, met de bron en de datum. Vervang elke VUL IN;
# `wegwijs check` toont wat nog openstaat.
title: \"VUL IN: de kop van het bericht\"
description: \"VUL IN: één zin over het nieuws, hoogstens 160 tekens\"
kind: news
# De dag van het nieuws; het nieuwste bericht staat bovenaan, ook in de feed.
date: {today}
# Thema's uit content/site.yaml: het bericht staat dan ook op die themapagina's.
themes: []
# De dag dat je het bericht met de bron hebt vergeleken.
reviewed: {today}
# Waar het nieuws vandaan komt. Noem een plan altijd een plan, geen wet.
sources:
  - {{ title: \"VUL IN: de titel van het document\", date: {today} }}
# Een eigen afbeelding voor sociale media (anders maakt de site er een). Haal de # weg
# bij beide regels, zet het bestand in static/img/ en beschrijf wat erop staat.
# image: /img/{name}.png
# image_alt: Wat de afbeelding laat zien, in één zin.
---

VUL IN: wat er is gebeurd, in korte zinnen. Noem de bron en de datum.
"
        ),
        "rules" => format!(
            "# Een beslishulp. Uitleg: docs/beslishulp.md. Vervang elke VUL IN.
title: \"VUL IN: de vraag van de beslishulp\"
description: \"VUL IN: één zin over de beslishulp\"
intro: |
  VUL IN: waarvoor de beslishulp is, en dat de uitkomst geen juridisch advies is.
reviewed: {today}
sources:
  - title: \"VUL IN: titel van het document\"
    date: {today}
start: eerste
questions:
  eerste:
    ask: \"VUL IN: de eerste vraag\"
    type: yesno
    yes: {{ outcome: ja }}
    no: {{ outcome: nee }}
outcomes:
  ja:
    verdict: needed
    title: \"VUL IN: de uitkomst bij ja\"
    body: |
      VUL IN: wat deze uitkomst betekent, met bron en datum.
  nee:
    verdict: not-needed
    title: \"VUL IN: de uitkomst bij nee\"
    body: |
      VUL IN: wat deze uitkomst betekent, met bron en datum.
examples:
  - answers: {{ eerste: yes }}
    outcome: ja
  - answers: {{ eerste: no }}
    outcome: nee
"
        ),
        _ => return None,
    };
    Some(text)
}

/// Write a new file of `kind` at `file`; never overwrites.
pub fn create(kind: &str, file: &Path, today: Date) -> Result<(), Diagnostic> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let name = name.trim_end_matches(".rules.yaml").trim_end_matches(".md");
    let text = template(kind, today, name).ok_or_else(|| {
        Diagnostic::error(format!("`{kind}` is not a kind of file wegwijs can make"))
            .with_help(format!("the kinds are: {}", KINDS.join(", ")))
    })?;
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|err| {
            Diagnostic::error(format!("cannot make the folder {}: {err}", dir.display()))
                .with_help("check that you may write in the site's folder")
        })?;
    }
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)
        .map_err(|err| {
            let help = if err.kind() == std::io::ErrorKind::AlreadyExists {
                "wegwijs new never overwrites a file: choose another name, or remove the file first"
            } else {
                "check that you may write in the site's folder"
            };
            Diagnostic::error(format!("cannot create {}: {err}", file.display())).with_help(help)
        })?;
    out.write_all(text.as_bytes()).map_err(|err| {
        Diagnostic::error(format!("cannot write {}: {err}", file.display()))
            .with_help("check that the disk is not full")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_go_below_content_with_an_extension() {
        let root = Path::new("/site");
        assert_eq!(
            target(root, "page", Path::new("thema/gamen/nieuw")),
            Path::new("/site/content/thema/gamen/nieuw.md")
        );
        assert_eq!(
            target(root, "page", Path::new("content/a.md")),
            Path::new("/site/content/a.md")
        );
        assert_eq!(
            target(root, "rules", Path::new("tools/check")),
            Path::new("/site/content/tools/check.rules.yaml")
        );
    }

    #[test]
    fn every_kind_has_a_template_with_placeholders() {
        let today = Date::parse("2026-12-04").unwrap_or_else(|_| Date::today());
        for kind in KINDS {
            let text = template(kind, today, "zomer").unwrap_or_default();
            assert!(text.contains("VUL IN"), "{kind}");
            assert!(text.contains("2026-12-04"), "{kind}");
            // A placeholder in a comment could not be cleared by filling it in.
            for line in text.lines().filter(|l| l.trim_start().starts_with("# ")) {
                assert!(!line.contains("VUL IN:"), "{kind}: {line}");
            }
        }
        let campaign = template("campaign", today, "zomer").unwrap_or_default();
        assert!(campaign.contains("\nends: 2026-12-31\n"), "{campaign}");
        assert!(campaign.contains("\nshort_url: /zomer\n"), "{campaign}");
        assert!(template("recept", today, "x").is_none());
    }
}
