# CSS samples read best on one line.
# ruff: noqa: E501

"""The fake's page-CSS minifier against clean-css 5.3.3, as Wiki.js 2.5.314 calls it.

Every expected value below is what ``new CleanCSS({ inline: false }).minify(css).styles``
printed for the input (clean-css 5.3.3 from the real server's node_modules,
run with node); the fake must store the same.
"""

from __future__ import annotations

import pytest

from wikijs.testing._css import minify_css

CLEAN_CSS = [
    ("h1 {}", ""),
    ("h1 { color: red; }", "h1{color:red}"),
    ("/* c */ .a { margin: 0px 0px; color: #ffffff; }", ".a{margin:0 0;color:#fff}"),
    ("/*! keep */ .a{b:c}", "/*! keep */.a{b:c}"),
    (
        '.a {\n  font-weight: bold;\n  transition: all 500ms;\n  opacity: 0.50;\n}\n\n.b, .c { background: url("x.png") }',
        '.a{font-weight:700;transition:all .5s;opacity:.5}.b,.c{background:url("x.png")}',
    ),
    (
        "@media (max-width: 600px) { .a { color: rgb(255,0,0) } .e {} }",
        "@media (max-width:600px){.a{color:red}}",
    ),
    ("p { padding: 0 0 0 0; }", "p{padding:0}"),
    ("a:hover{color:RED;}", "a:hover{color:RED}"),
    ("div > p + span ~ em { margin: -0px }", "div>p+span~em{margin:0}"),
    ('.x { content: "  a  ;  " }', '.x{content:"  a  ;  "}'),
    (".x{content:'a'}", ".x{content:'a'}"),
    (".c, .b, .c { color: white }", ".b,.c{color:#fff}"),
    (
        '@font-face { font-family: "X"; src: url(x.woff) }',
        '@font-face{font-family:"X";src:url(x.woff)}',
    ),
    (".a { color: red !important; }", ".a{color:red!important}"),
    (
        ".a { font: italic bold 12px / 30px Georgia, serif }",
        ".a{font:italic bold 12px/30px Georgia,serif}",
    ),
    (".a { width: calc(100% - 0px) }", ".a{width:calc(100% - 0px)}"),
    (".a { color: #FF0000; background: #AABBCC }", ".a{color:red;background:#abc}"),
    (".a { color: rgb(0, 0, 128) }", ".a{color:navy}"),
    (".a > .b { }", ""),
    (".a{color:red;;}", ".a{color:red}"),
    ("a { color: red } /* trailing */", "a{color:red}"),
    (".a{border:0px solid black}", ".a{border:0 solid #000}"),
    ("@media print { .x {} }", ""),
    (".main-content h1 { color: #333; }", ".main-content h1{color:#333}"),
    ("body { background-color: #fafafa }", "body{background-color:#fafafa}"),
    (".a { margin: 0 auto; }", ".a{margin:0 auto}"),
    (
        "table td, table th { border: 1px solid #ddd; padding: 8px; }",
        "table td,table th{border:1px solid #ddd;padding:8px}",
    ),
    ('.a::before { content: "→"; }', '.a::before{content:"→"}'),
    (
        "@media screen and (min-width: 768px) and (max-width: 1024px) { .nav { display: none; } }",
        "@media screen and (min-width:768px) and (max-width:1024px){.nav{display:none}}",
    ),
    (".x { transform: translate(0px, 10px) }", ".x{transform:translate(0,10px)}"),
    (".btn:not(.primary) { opacity: .5 }", ".btn:not(.primary){opacity:.5}"),
    ('a[href^="http"] { color: blue }', "a[href^=http]{color:#00f}"),
    (".a { box-shadow: 0 1px 2px rgba(0, 0, 0, 0.2); }", ".a{box-shadow:0 1px 2px rgba(0,0,0,.2)}"),
    (".a { line-height: 1.50; }", ".a{line-height:1.5}"),
    (".b { z-index: 010 }", ".b{z-index:010}"),
    ("not css at all {{{", ""),
    (
        ".page-col-content { max-width: 900px; }\n.v-main .contents h2 { border-bottom: 2px solid #E0E0E0; }",
        ".page-col-content{max-width:900px}.v-main .contents h2{border-bottom:2px solid #e0e0e0}",
    ),
    (
        ".x { font-family: 'Open Sans', Arial, sans-serif; }",
        ".x{font-family:'Open Sans',Arial,sans-serif}",
    ),
    (
        "@keyframes spin { from { transform: rotate(0deg) } to { transform: rotate(360deg) } }",
        "@keyframes spin{from{transform:rotate(0)}to{transform:rotate(360deg)}}",
    ),
    (".a { color: #abcdef } .b { color: #AbCdEf }", ".a{color:#abcdef}.b{color:#abcdef}"),
    (".a { width: 100%; height: 0%; }", ".a{width:100%;height:0%}"),
    ("#toc { display: none }", "#toc{display:none}"),
    (".a{color:red}\n.a{color:red}", ".a{color:red}.a{color:red}"),
    (
        ".a { background: #fff url(img.png) no-repeat 0px 0px; }",
        ".a{background:#fff url(img.png) no-repeat 0 0}",
    ),
    ("h1, h2 , h3{ margin : 0 }", "h1,h2,h3{margin:0}"),
    (
        "@supports (display: grid) { .g { display: grid; } }",
        "@supports (display:grid){.g{display:grid}}",
    ),
    (".x { transition-duration: 0.3s }", ".x{transition-duration:.3s}"),
    ("body { margin: 0; padding: 0 }", "body{margin:0;padding:0}"),
    (
        ".a:hover, .a:focus { text-decoration: underline; }",
        ".a:focus,.a:hover{text-decoration:underline}",
    ),
    ("  ", ""),
    ("/* only a comment */", ""),
    (".a { color: rgba(255, 0, 0, 1) }", ".a{color:red}"),
    (".x{top:-0.5em}", ".x{top:-.5em}"),
]

# clean-css rewrites the fake leaves alone (see wikijs/testing/_css.py).
NOT_MODELLED = [
    (".a{margin:10px 0px 0.5em -0.0px}", ".a{margin:10px 0 .5em -0px}"),
    ('@import url("a.css");', "@import url(a.css);"),
    ("ul li:nth-child(2n + 1) { color: gray }", "ul li:nth-child(odd){color:gray}"),
]


@pytest.mark.parametrize(("css", "stored"), CLEAN_CSS)
def test_minified_like_clean_css(css: str, stored: str) -> None:
    assert minify_css(css) == stored


@pytest.mark.parametrize(("css", "stored"), NOT_MODELLED)
def test_rarer_rewrites_are_not_modelled(css: str, stored: str) -> None:
    assert minify_css(css) != stored
    assert len(minify_css(css)) <= len(css)
