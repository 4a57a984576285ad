//! Curly quotes for short texts from front matter (titles, descriptions, card texts),
//! the same way the markdown renderer sets them in bodies: “dit”, ‘dat’, foto’s,
//! ’s avonds.

/// `"tekst"` → `“tekst”`, `'tekst'` → `‘tekst’`, apostrophes → `’`.
pub fn smart_quotes(text: &str) -> String {
    if !text.contains(['"', '\'']) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let opens = before.is_none_or(|b| {
            b.is_whitespace() || matches!(b, '(' | '[' | '{' | '“' | '‘' | '-' | '/')
        });
        match c {
            '"' => out.push(if opens { '“' } else { '”' }),
            '\'' => out.push(if opens && !starts_elision(&chars, i + 1) {
                '‘'
            } else {
                '’'
            }),
            c => out.push(c),
        }
    }
    out
}

/// Whether `chars[at..]` is what follows the apostrophe of a Dutch elision
/// (`s avonds`, `t`, `n`) or of a short year (`80`).
pub fn starts_elision(chars: &[char], at: usize) -> bool {
    let next = chars.get(at).copied();
    let after = chars.get(at + 1).copied();
    let elision = matches!(next, Some('s' | 't' | 'n' | 'k' | 'm' | 'r'))
        && !after.is_some_and(char::is_alphanumeric);
    let year = next.is_some_and(|n| n.is_ascii_digit())
        && after.is_some_and(|a| a.is_ascii_digit())
        && !chars.get(at + 2).is_some_and(char::is_ascii_digit);
    elision || year
}

#[cfg(test)]
mod tests {
    use super::smart_quotes;

    #[test]
    fn dutch_quotes_and_apostrophes() {
        assert_eq!(
            smart_quotes(r#"Nota "Kidfluencing" (2026)"#),
            "Nota “Kidfluencing” (2026)"
        );
        assert_eq!(smart_quotes("foto's en video's"), "foto’s en video’s");
        assert_eq!(
            smart_quotes("'s avonds en 't is laat"),
            "’s avonds en ’t is laat"
        );
        assert_eq!(
            smart_quotes("de jaren '80 en 'echt' leuk"),
            "de jaren ’80 en ‘echt’ leuk"
        );
        assert_eq!(
            smart_quotes("Geen aanhalingstekens"),
            "Geen aanhalingstekens"
        );
    }
}
