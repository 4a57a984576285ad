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
            '\'' => {
                let next = chars.get(i + 1).copied();
                let after = chars.get(i + 2).copied();
                let elision = matches!(next, Some('s' | 't' | 'n' | 'k' | 'm' | 'r'))
                    && !after.is_some_and(char::is_alphanumeric);
                let year = next.is_some_and(|n| n.is_ascii_digit())
                    && after.is_some_and(|a| a.is_ascii_digit())
                    && !chars.get(i + 3).is_some_and(char::is_ascii_digit);
                out.push(if opens && !elision && !year {
                    '‘'
                } else {
                    '’'
                });
            }
            c => out.push(c),
        }
    }
    out
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
