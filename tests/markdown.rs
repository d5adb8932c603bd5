//! Native tests of the Markdown subset used for policy texts: every
//! construct, nesting, refused link targets, markup kept as text, and the
//! markers that stay literal.
#![cfg(not(target_arch = "wasm32"))]

use charter::markdown::{Block, Inline, is_safe_url, parse};

fn text(s: &str) -> Inline {
    Inline::Text(s.to_owned())
}

fn para(spans: Vec<Inline>) -> Block {
    Block::Paragraph(spans)
}

/// The spans of a text that is a single paragraph.
fn spans(source: &str) -> Vec<Inline> {
    match parse(source).as_slice() {
        [Block::Paragraph(spans)] => spans.clone(),
        other => panic!("expected one paragraph, got {other:?}"),
    }
}

#[test]
fn empty_and_blank_input_has_no_blocks() {
    assert_eq!(parse(""), vec![]);
    assert_eq!(parse("  \n\n \t\n"), vec![]);
}

#[test]
fn paragraphs_are_separated_by_blank_lines_and_keep_single_breaks() {
    assert_eq!(
        parse("First line\nsecond line\n\n\nNext paragraph"),
        vec![
            para(vec![text("First line\nsecond line")]),
            para(vec![text("Next paragraph")]),
        ]
    );
}

#[test]
fn crlf_and_cr_line_endings_read_like_lf() {
    let expected = vec![
        Block::Heading {
            level: 1,
            content: vec![text("Title")],
        },
        para(vec![text("One\ntwo")]),
        Block::BulletList(vec![vec![text("a")], vec![text("b")]]),
    ];
    assert_eq!(
        parse("# Title\r\n\r\nOne\r\ntwo\r\n\r\n- a\r\n- b\r\n"),
        expected
    );
    assert_eq!(parse("# Title\r\rOne\rtwo\r\r- a\r- b"), expected);
}

#[test]
fn headings_of_three_levels() {
    assert_eq!(
        parse("# One\n## Two\n###   Three  "),
        vec![
            Block::Heading {
                level: 1,
                content: vec![text("One")],
            },
            Block::Heading {
                level: 2,
                content: vec![text("Two")],
            },
            Block::Heading {
                level: 3,
                content: vec![text("Three")],
            },
        ]
    );
}

#[test]
fn other_hashes_stay_text() {
    assert_eq!(
        parse("#### Four\n#hashtag\n#"),
        vec![para(vec![text("#### Four\n#hashtag\n#")])]
    );
}

#[test]
fn heading_interrupts_a_paragraph_and_holds_spans() {
    assert_eq!(
        parse("Intro\n## The **scope**"),
        vec![
            para(vec![text("Intro")]),
            Block::Heading {
                level: 2,
                content: vec![text("The "), Inline::Strong(vec![text("scope")])],
            },
        ]
    );
}

#[test]
fn bullet_lists_with_dashes_or_stars() {
    assert_eq!(
        parse("- one\n* two\n  - three"),
        vec![Block::BulletList(vec![
            vec![text("one")],
            vec![text("two")],
            vec![text("three")],
        ])]
    );
}

#[test]
fn list_items_continue_on_plain_lines_and_across_blank_lines() {
    assert_eq!(
        parse("- one\n  more of one\n\n- two\n\nAfter"),
        vec![
            Block::BulletList(vec![vec![text("one\nmore of one")], vec![text("two")]]),
            para(vec![text("After")]),
        ]
    );
}

#[test]
fn numbered_lists_keep_their_first_number() {
    assert_eq!(
        parse("1. one\n2. two\n\n3) three\n\n4. four"),
        vec![Block::NumberedList {
            start: 1,
            items: vec![
                vec![text("one")],
                vec![text("two")],
                vec![text("three")],
                vec![text("four")],
            ],
        }]
    );
    assert_eq!(
        parse("5. five"),
        vec![Block::NumberedList {
            start: 5,
            items: vec![vec![text("five")]],
        }]
    );
}

#[test]
fn a_bullet_list_after_a_numbered_one_is_a_new_list() {
    assert_eq!(
        parse("1. one\n- dot"),
        vec![
            Block::NumberedList {
                start: 1,
                items: vec![vec![text("one")]],
            },
            Block::BulletList(vec![vec![text("dot")]]),
        ]
    );
}

#[test]
fn only_a_list_from_one_interrupts_a_paragraph() {
    assert_eq!(
        parse("Founded in\n2019. Moved in\n1. first"),
        vec![
            para(vec![text("Founded in\n2019. Moved in")]),
            Block::NumberedList {
                start: 1,
                items: vec![vec![text("first")]],
            },
        ]
    );
}

#[test]
fn markers_without_a_space_are_text() {
    assert_eq!(
        parse("-dash\n1.5 litres\n---"),
        vec![para(vec![text("-dash\n1.5 litres\n---")])]
    );
}

#[test]
fn block_quotes_hold_blocks_and_nest() {
    assert_eq!(
        parse("> Quoted **text**\n> - item\n>\n> > deeper"),
        vec![Block::Quote(vec![
            para(vec![text("Quoted "), Inline::Strong(vec![text("text")])]),
            Block::BulletList(vec![vec![text("item")]]),
            Block::Quote(vec![para(vec![text("deeper")])]),
        ])]
    );
}

#[test]
fn very_deep_quotes_end_as_text() {
    let source = ">".repeat(10_000) + " deep";
    let blocks = parse(&source);
    let mut block = &blocks[0];
    let mut depth = 0;
    while let Block::Quote(inner) = block {
        block = &inner[0];
        depth += 1;
    }
    assert_eq!(depth, 4);
    assert!(matches!(block, Block::Paragraph(_)));
}

#[test]
fn bold_italic_and_code() {
    assert_eq!(
        spans("A **bold** and *italic* and _also italic_ and `code`."),
        vec![
            text("A "),
            Inline::Strong(vec![text("bold")]),
            text(" and "),
            Inline::Emphasis(vec![text("italic")]),
            text(" and "),
            Inline::Emphasis(vec![text("also italic")]),
            text(" and "),
            Inline::Code("code".to_owned()),
            text("."),
        ]
    );
}

#[test]
fn emphasis_nests_inside_list_items() {
    assert_eq!(
        parse("- **Bold with *italic* inside**\n- *Italic with **bold** inside*"),
        vec![Block::BulletList(vec![
            vec![Inline::Strong(vec![
                text("Bold with "),
                Inline::Emphasis(vec![text("italic")]),
                text(" inside"),
            ])],
            vec![Inline::Emphasis(vec![
                text("Italic with "),
                Inline::Strong(vec![text("bold")]),
                text(" inside"),
            ])],
        ])]
    );
}

#[test]
fn triple_stars_are_bold_and_italic() {
    assert_eq!(
        spans("***both***"),
        vec![Inline::Strong(vec![Inline::Emphasis(vec![text("both")])])]
    );
}

#[test]
fn code_keeps_markers_as_written() {
    assert_eq!(
        spans("Run `rm -rf *tmp* [x](https://a.b)` never"),
        vec![
            text("Run "),
            Inline::Code("rm -rf *tmp* [x](https://a.b)".to_owned()),
            text(" never"),
        ]
    );
}

#[test]
fn unclosed_markers_stay_literal() {
    for source in [
        "**not closed",
        "*not closed",
        "_not closed",
        "`not closed",
        "[not closed",
        "[text](https://example.com",
        "[text] (https://example.com)",
        "a ** b ** c",
        "2 * 3 * 4",
        "``",
        "[](https://example.com)",
    ] {
        assert_eq!(spans(source), vec![text(source)], "{source}");
    }
}

#[test]
fn underscores_inside_words_are_not_italic() {
    assert_eq!(spans("snake_case_name"), vec![text("snake_case_name")]);
    assert_eq!(spans("__init__"), vec![text("__init__")]);
}

#[test]
fn safe_links_become_links() {
    assert_eq!(
        spans(
            "See [the **ISO** site](https://www.iso.org/standard/27001) or [mail us](mailto:ciso@example.com)."
        ),
        vec![
            text("See "),
            Inline::Link {
                content: vec![
                    text("the "),
                    Inline::Strong(vec![text("ISO")]),
                    text(" site")
                ],
                url: "https://www.iso.org/standard/27001".to_owned(),
            },
            text(" or "),
            Inline::Link {
                content: vec![text("mail us")],
                url: "mailto:ciso@example.com".to_owned(),
            },
            text("."),
        ]
    );
}

#[test]
fn link_addresses_may_hold_balanced_parentheses() {
    assert_eq!(
        spans("[Wiki](http://en.wikipedia.org/wiki/ISO/IEC_27001_(2022))"),
        vec![Inline::Link {
            content: vec![text("Wiki")],
            url: "http://en.wikipedia.org/wiki/ISO/IEC_27001_(2022)".to_owned(),
        }]
    );
}

#[test]
fn unsafe_links_stay_plain_text() {
    for source in [
        "[click](javascript:alert(1))",
        "[click](JavaScript:alert(1))",
        "[click](data:text/html,<script>alert(1)</script>)",
        "[click](vbscript:msgbox)",
        "[click](/relative/path)",
        "[click](//evil.example)",
        "[click](https://)",
        "[click](file:///etc/passwd)",
    ] {
        let parsed = spans(source);
        assert!(
            !parsed.iter().any(|s| matches!(s, Inline::Link { .. })),
            "{source} became a link: {parsed:?}"
        );
        assert_eq!(parsed, vec![text(source)], "{source}");
    }
}

#[test]
fn link_text_holds_no_further_links() {
    assert_eq!(
        spans("[a [b](https://b.example)"),
        vec![
            text("[a "),
            Inline::Link {
                content: vec![text("b")],
                url: "https://b.example".to_owned(),
            },
        ]
    );
}

#[test]
fn safe_url_check() {
    assert!(is_safe_url("https://example.com"));
    assert!(is_safe_url("HTTP://EXAMPLE.COM"));
    assert!(is_safe_url("mailto:a@b.c"));
    assert!(!is_safe_url("javascript:alert(1)"));
    assert!(!is_safe_url(" javascript:alert(1)"));
    assert!(!is_safe_url("https://exa mple.com"));
    assert!(!is_safe_url("https://example.com/\u{0}"));
    assert!(!is_safe_url("mailto:"));
}

#[test]
fn html_is_kept_as_text() {
    let source = "<script>alert(1)</script> <img src=x onerror=alert(1)> <b>bold?</b>";
    assert_eq!(parse(source), vec![para(vec![text(source)])]);
    assert_eq!(
        parse("- <img src=x onerror=alert(1)>\n> <iframe src=\"https://evil\">"),
        vec![
            Block::BulletList(vec![vec![text("<img src=x onerror=alert(1)>")]]),
            Block::Quote(vec![para(vec![text("<iframe src=\"https://evil\">")])]),
        ]
    );
}

#[test]
fn non_ascii_text_and_markers() {
    assert_eq!(
        spans("**Sicherheit** für _alle_ – 安全"),
        vec![
            Inline::Strong(vec![text("Sicherheit")]),
            text(" für "),
            Inline::Emphasis(vec![text("alle")]),
            text(" – 安全"),
        ]
    );
}

#[test]
fn long_texts_full_of_unclosed_markers_parse_quickly() {
    let source = "**a *b _c `d [e](f ".repeat(20_000);
    let started = std::time::Instant::now();
    let parsed = spans(&source);
    assert!(
        started.elapsed().as_secs() < 5,
        "took {:?}",
        started.elapsed()
    );
    let shown: usize = parsed
        .iter()
        .map(|s| match s {
            Inline::Text(t) | Inline::Code(t) => t.chars().count(),
            _ => 0,
        })
        .sum();
    assert!(shown > 0);
}
