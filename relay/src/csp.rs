//! The Content-Security-Policy, with hashes for the inline scripts of `index.html`.
//!
//! Trunk writes one inline `<script type="module">` into `index.html` that imports the JS glue
//! and starts the wasm. Allowing it by its SHA-256 hash keeps `'unsafe-inline'` out of the
//! policy: an injected script, whose text cannot match, is refused by the browser.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest as _, Sha256};

/// The text content of every inline script (a `<script>` element without `src`) in `html`,
/// in document order, as the browser hashes it (line endings normalised to `\n`).
pub fn inline_scripts(html: &[u8]) -> Vec<Vec<u8>> {
    let mut scripts = Vec::new();
    let mut at = 0;
    while at < html.len() {
        let rest = &html[at..];
        if rest.starts_with(b"<!--") {
            at = find(html, b"-->", at + 4).map_or(html.len(), |end| end + 3);
        } else if starts_with_tag(rest, b"<script") {
            let Some((has_src, content_start)) = scan_start_tag(html, at + b"<script".len()) else {
                break;
            };
            let content_end = find_script_end(html, content_start).unwrap_or(html.len());
            if !has_src {
                scripts.push(normalize_newlines(&html[content_start..content_end]));
            }
            at = content_end;
        } else {
            at += 1;
        }
    }
    scripts
}

/// The CSP source expression for a script text: `'sha256-<standard base64>'`.
pub fn sha256_source(script: &[u8]) -> String {
    format!("'sha256-{}'", STANDARD.encode(Sha256::digest(script)))
}

/// The policy for every response, allowing exactly the inline scripts of `index_html`.
pub fn content_security_policy(index_html: &[u8]) -> String {
    let mut script_src = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
    for script in inline_scripts(index_html) {
        let source = sha256_source(&script);
        if !script_src.contains(&source) {
            script_src.push(source);
        }
    }
    format!(
        "default-src 'self'; script-src {}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'",
        script_src.join(" ")
    )
}

/// Whether `rest` opens the element `tag` (`<script`, any case) and not e.g. `<scripts`.
fn starts_with_tag(rest: &[u8], tag: &[u8]) -> bool {
    rest.len() > tag.len()
        && rest[..tag.len()].eq_ignore_ascii_case(tag)
        && matches!(
            rest[tag.len()],
            b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
        )
}

/// Reads the attributes of a start tag from `at` (just after the tag name) to its `>`.
/// Returns whether it has a `src` attribute and where the element's content starts, or `None`
/// if the tag never closes.
fn scan_start_tag(html: &[u8], mut at: usize) -> Option<(bool, usize)> {
    let mut has_src = false;
    loop {
        while at < html.len() && (html[at].is_ascii_whitespace() || html[at] == b'/') {
            at += 1;
        }
        match html.get(at)? {
            b'>' => return Some((has_src, at + 1)),
            _ => {
                let name_start = at;
                while at < html.len()
                    && !html[at].is_ascii_whitespace()
                    && !matches!(html[at], b'/' | b'>' | b'=')
                {
                    at += 1;
                }
                if html[name_start..at].eq_ignore_ascii_case(b"src") {
                    has_src = true;
                }
                while at < html.len() && html[at].is_ascii_whitespace() {
                    at += 1;
                }
                if html.get(at) == Some(&b'=') {
                    at += 1;
                    while at < html.len() && html[at].is_ascii_whitespace() {
                        at += 1;
                    }
                    match html.get(at)? {
                        quote @ (b'"' | b'\'') => at = find(html, &[*quote], at + 1)? + 1,
                        _ => {
                            while at < html.len()
                                && !html[at].is_ascii_whitespace()
                                && html[at] != b'>'
                            {
                                at += 1;
                            }
                        }
                    }
                } else if at == name_start {
                    // A stray `=` where a name should be; step over it rather than loop.
                    at += 1;
                }
            }
        }
    }
}

/// Where the `</script` that closes an element whose content starts at `from` begins.
fn find_script_end(html: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(candidate) = find(html, b"</", at) {
        if starts_with_tag(&html[candidate..], b"</script") {
            return Some(candidate);
        }
        at = candidate + 2;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|position| from + position)
}

/// The HTML parser turns `\r\n` and lone `\r` into `\n` before the script text exists, so the
/// browser hashes the normalised text, not the bytes on disk.
fn normalize_newlines(text: &[u8]) -> Vec<u8> {
    let mut normalized = Vec::with_capacity(text.len());
    let mut bytes = text.iter().peekable();
    while let Some(&byte) = bytes.next() {
        if byte == b'\r' {
            bytes.next_if_eq(&&b'\n');
            normalized.push(b'\n');
        } else {
            normalized.push(byte);
        }
    }
    normalized
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Vec<String> {
        inline_scripts(html.as_bytes())
            .into_iter()
            .map(|script| String::from_utf8(script).unwrap())
            .collect()
    }

    // Expected values computed independently:
    // printf '%s' 'x' | openssl dgst -sha256 -binary | base64
    #[test]
    fn hashes_known_inputs_like_openssl() {
        assert_eq!(
            sha256_source(b"x"),
            "'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE='"
        );
        assert_eq!(
            sha256_source(b""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }

    #[test]
    fn finds_trunk_style_inline_module_script() {
        let html = "<!DOCTYPE html><html><head>\
            <link rel=\"modulepreload\" href=\"/charter-1a2b3c4d5e6f7a8b.js\" crossorigin>\
            <script type=\"module\">import init from '/charter-1a2b3c4d5e6f7a8b.js';await init();\
            </script></head><body></body></html>";
        assert_eq!(
            texts(html),
            ["import init from '/charter-1a2b3c4d5e6f7a8b.js';await init();"]
        );
    }

    #[test]
    fn skips_scripts_with_src_and_commented_out_scripts() {
        let html = "<script src=\"/a.js\"></script>\
            <SCRIPT defer SRC='/b.js'></SCRIPT>\
            <!-- <script>evil()</script> -->\
            <script data-x=\"src\">x</script>";
        assert_eq!(texts(html), ["x"]);
    }

    #[test]
    fn attribute_values_may_hold_angle_brackets_and_tag_names() {
        let html = "<script data-note=\"a > b </script>\" type=module>x</script >";
        assert_eq!(texts(html), ["x"]);
    }

    #[test]
    fn does_not_mistake_other_elements_or_closing_tags() {
        let html = "<scripts>no</scripts><script>let s = '</scriptx>';</script>";
        assert_eq!(texts(html), ["let s = '</scriptx>';"]);
    }

    #[test]
    fn hashes_text_with_newlines_normalised() {
        let scripts = inline_scripts(b"<script>a\r\nb</script><script>a\rb</script>");
        assert_eq!(scripts, [b"a\nb".to_vec(), b"a\nb".to_vec()]);
        // printf 'a\nb' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            sha256_source(&scripts[0]),
            "'sha256-fhj3NzEbLcOy8mndeDlrA1HxT7Zu+oefdoyyMYGIPHg='"
        );
    }

    #[test]
    fn unterminated_tags_end_the_scan_without_panicking() {
        assert!(texts("<script type=\"module").is_empty());
        assert_eq!(texts("<script>never closed"), ["never closed"]);
        assert!(texts("<!-- <script>x</script>").is_empty());
    }

    #[test]
    fn policy_lists_each_inline_script_hash_once() {
        let policy = content_security_policy(b"<script>x</script><script>x</script>");
        assert!(policy.contains(
            "script-src 'self' 'wasm-unsafe-eval' \
             'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE=';"
        ));
        assert_eq!(policy.matches("sha256-").count(), 1);
        assert!(!policy.contains("unsafe-inline"));
    }

    #[test]
    fn policy_without_inline_scripts_has_no_hashes() {
        let policy = content_security_policy(b"<script src=\"/app.js\"></script>");
        assert!(policy.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "));
        assert!(policy.ends_with("form-action 'self'"));
    }
}
