//! One problem report type for every stage of the pipeline, and its rendering.
//!
//! Loading and checking collect [`Diagnostic`]s instead of stopping at the first
//! problem; the CLI prints them all, like a compiler, and exits non-zero when any is
//! an error. A diagnostic carries the offending source line itself, so rendering
//! never reads a file a second time.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a problem is: errors stop the build, warnings don't.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth a look, but the site is still built.
    Warning,
    /// The site is not built and nothing is written.
    Error,
}

/// A position in a source file: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// How many characters the marker under the problem spans (at least 1).
    pub width: usize,
    /// The full text of the line, for the snippet.
    pub source_line: String,
}

impl Location {
    /// The location of `line`:`column` in `source`, marking `width` characters.
    /// Out-of-range positions are clamped, never a panic.
    pub fn in_source(source: &str, line: usize, column: usize, width: usize) -> Self {
        let line = line.max(1);
        let source_line = source.lines().nth(line - 1).unwrap_or_default().to_string();
        Location {
            line,
            column: column.max(1),
            width: width.max(1),
            source_line,
        }
    }

    /// The location of a byte offset in `source`.
    pub fn at_offset(source: &str, offset: usize, width: usize) -> Self {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = source[line_start..offset].chars().count() + 1;
        Location::in_source(source, line, column, width)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A problem found while building, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in, relative to the site root where possible.
    pub file: Option<PathBuf>,
    /// Where in the file, when known.
    pub location: Option<Location>,
    /// What is wrong, in words an editor understands.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// A short stable name for the kind of problem (`broken-link`), for CI
    /// annotations and tests; set by `check`'s lints.
    pub code: Option<&'static str>,
}

impl Diagnostic {
    /// A new error with a message and nothing else yet.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            location: None,
            message: message.into(),
            help: None,
            code: None,
        }
    }

    /// A new warning with a message and nothing else yet.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Attach the file the problem is in.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Attach a position in the file.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self.clamp_width()
    }

    /// Attach a position, if there is one.
    pub fn at_opt(self, location: Option<Location>) -> Self {
        match location {
            Some(location) => self.at(location),
            None => self,
        }
    }

    /// Attach advice on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Name the kind of problem (see [`Diagnostic::code`]).
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// Whether this diagnostic stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn clamp_width(mut self) -> Self {
        if let Some(loc) = &mut self.location {
            let len = loc.source_line.chars().count();
            if loc.column > len + 1 {
                loc.column = len + 1;
            }
            let room = (len + 1).saturating_sub(loc.column).max(1);
            loc.width = loc.width.clamp(1, room);
        }
        self
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn position(&self) -> String {
        let file = self
            .file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        match &self.location {
            Some(loc) => format!("{file}:{}:{}", loc.line, loc.column),
            None => file,
        }
    }

    /// Render like a compiler: title, `--> file:line:col`, the source line with a
    /// marker under the problem, and the help. `color` adds ANSI colours.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self
            .file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        let mut group = Group::with_title(level.primary_title(&self.message));
        if let Some(loc) = &self.location {
            let start: usize = loc
                .source_line
                .chars()
                .take(loc.column - 1)
                .map(char::len_utf8)
                .sum();
            let end: usize = start
                + loc
                    .source_line
                    .chars()
                    .skip(loc.column - 1)
                    .take(loc.width)
                    .map(char::len_utf8)
                    .sum::<usize>();
            group = group.element(
                Snippet::source(&loc.source_line)
                    .line_start(loc.line)
                    .path(&path)
                    .annotation(AnnotationKind::Primary.span(start..end)),
            );
        } else if !path.is_empty() {
            group = group.element(annotate_snippets::Origin::path(&path));
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let position = self.position();
        if position.is_empty() {
            write!(f, "{kind}: {}", self.message)?;
        } else {
            write!(f, "{position}: {kind}: {}", self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// Whether any of `diagnostics` is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Order diagnostics for printing: by file, then position, then message.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let pos = |d: &Diagnostic| d.location.as_ref().map(|l| (l.line, l.column));
        (&a.file, pos(a), &a.message).cmp(&(&b.file, pos(b), &b.message))
    });
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(distance, c)| *distance <= (c.chars().count() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_at_offset_counts_lines_and_characters() {
        let src = "a: 1\nbé: x\n";
        let loc = Location::at_offset(src, src.find('x').unwrap_or(0), 1);
        assert_eq!((loc.line, loc.column), (2, 5));
        assert_eq!(loc.source_line, "bé: x");
    }

    #[test]
    fn render_shows_the_line_and_a_marker() {
        let d = Diagnostic::error("unknown field `titel`")
            .in_file("content/a.md")
            .at(Location::in_source("---\ntitel: x\n", 2, 1, 5))
            .with_help("did you mean `title`?");
        let text = d.render(false);
        assert!(text.contains("content/a.md:2:1"), "{text}");
        assert!(text.contains("titel: x"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("did you mean `title`?"), "{text}");
    }

    #[test]
    fn did_you_mean_suggests_only_close_words() {
        assert_eq!(did_you_mean("titel", ["title", "weight"]), Some("title"));
        assert_eq!(did_you_mean("zzzzzz", ["title", "weight"]), None);
    }

    #[test]
    fn marker_never_runs_past_the_line() {
        let d = Diagnostic::error("x").at(Location::in_source("ab", 1, 9, 40));
        let loc = d
            .location
            .unwrap_or_else(|| Location::in_source("", 1, 1, 1));
        assert_eq!((loc.column, loc.width), (3, 1));
    }
}
