//! HTML to plain text, enough for news pages: tags dropped, `<script>`, `<style>`
//! and comments removed with their content, block elements ending a line, and
//! character references decoded. Not a full HTML parser: it keeps the words a
//! reader sees, in order, so the geoparser and the events stage can read them.

/// Elements whose end starts a new line (so headlines and paragraphs stay apart).
const BLOCKS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "title",
    "article",
    "section",
    "header",
    "footer",
    "blockquote",
    "figcaption",
    "table",
    "ul",
    "ol",
    "hr",
];

/// Elements dropped with everything inside them.
const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];

/// The text of an HTML page, one block a line. The `<title>` (or the first `<h1>`)
/// comes first when there is one, so it becomes the document's title.
///
/// ```
/// let t = geoevents::input::html::to_text("<p>Ships off <b>Busan</b> &amp; Tsushima.</p><script>x()</script>");
/// assert_eq!(t, "Ships off Busan & Tsushima.");
/// ```
pub fn to_text(html: &str) -> String {
    let title = element_text(html, "title").or_else(|| element_text(html, "h1"));
    let body = strip(html, true);
    let mut lines: Vec<String> = body
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(t) = title.filter(|t| !t.is_empty()) {
        if lines.first() != Some(&t) {
            lines.insert(0, t);
        }
    }
    lines.join("\n")
}

/// The text inside the first `<name>` element, whitespace collapsed.
fn element_text(html: &str, name: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{name}");
    let mut from = 0;
    let start = loop {
        let i = from + lower[from..].find(&open)?;
        let after = lower.as_bytes().get(i + open.len()).copied();
        if matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')) {
            break i;
        }
        from = i + open.len();
    };
    let body_start = start + lower[start..].find('>')? + 1;
    let end = body_start + lower[body_start..].find(&format!("</{name}"))?;
    let t = strip(&html[body_start..end], false);
    Some(t.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Removes tags (and hidden elements with their content), decodes references.
fn strip(html: &str, skip_title: bool) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    let b = html.as_bytes();
    while i < b.len() {
        if b[i] == b'<' {
            if lower[i..].starts_with("<!--") {
                i = lower[i..].find("-->").map_or(b.len(), |e| i + e + 3);
                continue;
            }
            let Some(close) = lower[i..].find('>') else {
                // A lone '<' in text.
                out.push('<');
                i += 1;
                continue;
            };
            let tag = &lower[i + 1..i + close];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            i += close + 1;
            let hidden = HIDDEN.contains(&name.as_str()) || (skip_title && name == "title");
            if hidden && !closing && !tag.ends_with('/') {
                let end = format!("</{name}");
                i = lower[i..].find(&end).map_or(b.len(), |e| {
                    i + e + lower[i + e..].find('>').unwrap_or(0) + 1
                });
                continue;
            }
            if BLOCKS.contains(&name.as_str()) {
                out.push('\n');
            } else if !name.is_empty() {
                // Inline tags are not spaces ("<b>Bus</b>an"), but td/th cells are.
                if matches!(name.as_str(), "td" | "th") {
                    out.push(' ');
                }
            }
            continue;
        }
        if b[i] == b'&' {
            if let Some((c, len)) = reference(&html[i..]) {
                out.push_str(&c);
                i += len;
                continue;
            }
        }
        let ch = html[i..].chars().next().expect("in bounds");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// A character reference at the start of `s`: its text and length in bytes.
fn reference(s: &str) -> Option<(String, usize)> {
    let end = s[..s.len().min(12)].find(';')?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(n)?.to_string()
    } else {
        match body {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            "nbsp" => " ",
            "ndash" => "–",
            "mdash" => "—",
            "lsquo" => "‘",
            "rsquo" => "’",
            "ldquo" => "“",
            "rdquo" => "”",
            "hellip" => "…",
            _ => return None,
        }
        .to_string()
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_words_in_order_and_drops_markup() {
        let html = "<!doctype html><html><head><title>Ships in the strait</title>\
            <style>p{color:red}</style></head><body><!-- nav --><h1>Ships in the strait</h1>\
            <p>Two destroyers passed <a href=\"/x\">Tsushima</a> on Monday.</p>\
            <script>var a = '<p>no</p>';</script><p>Seoul&#39;s navy &amp; Japan&#x2019;s watched.</p></body></html>";
        let t = to_text(html);
        assert_eq!(
            t,
            "Ships in the strait\nTwo destroyers passed Tsushima on Monday.\nSeoul's navy & Japan’s watched."
        );
    }

    #[test]
    fn lone_brackets_and_unknown_references_stay() {
        assert_eq!(to_text("a < b &foo; c"), "a < b &foo; c");
    }
}
