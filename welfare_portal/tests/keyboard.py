"""Driving a page from the keyboard only, as a person without a mouse does, for browser tests.

Every helper moves the focus with Tab (or Shift+Tab) until the element wanted has it, checks
that the focus can be seen, then acts with the keys a keyboard user has: Enter on links and
buttons, Space on checkboxes and file inputs, the arrow keys in selects and radio groups, and
typing. Nothing here clicks or fills: an element that Tab cannot reach, or that shows no focus
indicator, fails the test with the element's description.

    from welfare_portal.tests import keyboard

    keyboard.follow(page, page.locator('main a[href="/enti/registra/"]'))   # Enter, waits for the page
    keyboard.type_into(page, page.locator('input[name="name"]'), "Il Ponte")
    keyboard.choose(page, page.locator('select[name="kind"]'), "social_cooperative")
    keyboard.tick(page, page.locator('input[name="policy_areas"]').first)
    keyboard.submit(page, page.locator('main form button[type="submit"]'))
"""

import datetime

import pytest
from playwright.sync_api import expect

# Enough for the longest page the journeys walk (the proposal form, with a checkbox per
# municipality, policy area, target group and age band) from the top of <main>.
MAX_PRESSES = 150

# Whether the focus shows on an element: an outline that is not transparent, or a box shadow,
# on the element or on its <label>. Bootstrap Italia hides checkboxes and radios and draws them
# on their label, which then carries the ring (`.form-check [type=checkbox]:focus + label`);
# its general rule paints a transparent outline and a black-and-white box shadow.
_SHOWS_FOCUS = """(element) => {
    const transparent = (colour) => colour === "transparent" || /rgba\\(.*,\\s*0\\)$/.test(colour);
    const ring = (node) => {
        const style = getComputedStyle(node);
        const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
            && !transparent(style.outlineColor);
        return outline || (style.boxShadow && style.boxShadow !== "none");
    };
    const shown = (node) => {
        const box = node.getBoundingClientRect();
        const style = getComputedStyle(node);
        return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && parseFloat(style.opacity) > 0;
    };
    return [element, ...(element.labels || [])].some((node) => shown(node) && ring(node));
}"""

# Where the focus is, seen from the wanted element, in one round trip: whether the page has
# just loaded (nothing focused) and the element is in <main>, whether the skip link has the
# focus, and how many Tab presses away the element is (negative: Shift+Tab; 0: it has the
# focus, and then whether the focus shows). The distance is estimated from the elements that
# take the focus, in document order (a radio group counts once); the focus is checked again
# after the presses, so a wrong estimate only costs more presses.
_FOCUS_STATE = """(target) => {
    const showsFocus = %s;
    const active = document.activeElement;
    const fresh = !active || active === document.body || active === document.documentElement;
    const state = {fresh, inMain: !!target.closest("main"), onSkipLink: !fresh && !!active.closest(".skiplinks")};
    if (active === target) return {...state, distance: 0, visible: showsFocus(target)};
    const radioSeen = new Set();
    const tabbable = (element) => {
        if (element.disabled || element.type === "hidden" || !element.getClientRects().length) return false;
        if (element.tabIndex < 0 || getComputedStyle(element).visibility === "hidden") return false;
        if (element.type === "radio" && element.name) {
            if (radioSeen.has(element.name)) return false;
            radioSeen.add(element.name);
        }
        return true;
    };
    const order = [...document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]")]
        .filter(tabbable);
    const indexOf = (element) => {
        const exact = order.indexOf(element);
        if (exact >= 0) return exact;
        if (element.type === "radio") {  // the stop of its group
            const stop = order.findIndex((other) => other.type === "radio" && other.name === element.name);
            if (stop >= 0) return stop;
        }
        // Not a stop itself (<main> after the skip link): just before the first stop inside or after it.
        const next = order.findIndex((other) => element.contains(other)
            || (element.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING));
        return (next < 0 ? order.length : next) - 0.5;
    };
    const distance = indexOf(target) - (fresh ? -0.5 : indexOf(active));
    if (distance === 0) return {...state, distance: active.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING ? 1 : -1};
    return {...state, distance: distance > 0 ? Math.ceil(distance) : Math.floor(distance)};
}""" % _SHOWS_FOCUS

_DESCRIBE = """(element) => {
    const text = (element.innerText || element.value || element.getAttribute("aria-label") || "").trim();
    const attributes = ["id", "name", "type", "href", "value"]
        .filter((name) => element.hasAttribute(name))
        .map((name) => `${name}="${element.getAttribute(name)}"`).join(" ");
    const tag = element.tagName.toLowerCase();
    return `<${tag} ${attributes}>${text.slice(0, 60)}</${tag}>`;
}"""

_ACTIVE = "() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)"


def describe(locator):
    return locator.evaluate(_DESCRIBE)


def focus(page, locator, *, max_presses=MAX_PRESSES):
    """Tab (or Shift+Tab) until `locator`'s element has the focus; check that the focus shows.

    On a page just loaded, an element of the main content is reached through the skip link,
    as a keyboard user does, instead of tabbing through the header's menu. (A page opened at
    a fragment, `#commitments`, starts tabbing from there: then the first Tab is not on the
    skip link, and tabbing goes on from where it is.)"""
    handle = locator.element_handle()  # one element, or Playwright's strict mode fails
    presses = 0
    state = handle.evaluate(_FOCUS_STATE)
    if state["fresh"] and state["inMain"]:
        page.keyboard.press("Tab")
        presses += 1
        state = handle.evaluate(_FOCUS_STATE)
        if state["onSkipLink"]:
            page.keyboard.press("Enter")
            state = handle.evaluate(_FOCUS_STATE)
    while state["distance"] != 0:
        if presses >= max_presses:
            pytest.fail(
                f"{describe(locator)} on {page.url} was not reached with {max_presses} presses of Tab; "
                f"the focus is on {page.evaluate(_ACTIVE)}",
                pytrace=False,
            )
        key = "Tab" if state["distance"] > 0 else "Shift+Tab"
        for _ in range(min(abs(state["distance"]), max_presses - presses)):
            page.keyboard.press(key)
            presses += 1
        state = handle.evaluate(_FOCUS_STATE)
    if not state["visible"]:
        pytest.fail(f"{describe(locator)} on {page.url} has the focus but no visible focus indicator", pytrace=False)
    return locator


def assert_focus_visible(locator):
    if not locator.evaluate(_SHOWS_FOCUS):
        pytest.fail(f"{describe(locator)} has the focus but no visible focus indicator", pytrace=False)


def follow(page, locator, key="Enter"):
    """Activate a link or a submit button and wait for the page it leads to."""
    focus(page, locator)
    with page.expect_navigation():
        page.keyboard.press(key)


submit = follow


def type_into(page, locator, text):
    """Type the text into a text input or textarea."""
    focus(page, locator)
    page.keyboard.type(text)
    return locator


# How this Chromium lays out date inputs (it follows the browser's own locale, not the
# context's): {browser: (day_first, twelve_hour)}, found once per browser by `_date_layout`.
_DATE_LAYOUTS = {}


def _date_layout(page):
    """Type a known date and time into inputs on a blank page of the same browser and read back
    what the browser made of them: whether it shows the day before the month, and whether its
    time has AM/PM. A person sees that on the screen; the test has to ask."""
    browser = page.context.browser
    if browser not in _DATE_LAYOUTS:
        probe = page.context.new_page()
        try:
            probe.set_content('<input type="date" id="d"><input type="datetime-local" id="t">')
            probe.focus("#d")
            probe.keyboard.type("01022003")
            day_first = probe.eval_on_selector("#d", "(input) => input.value") == "2003-02-01"
            probe.focus("#t")
            probe.keyboard.type("01022003")
            probe.keyboard.press("ArrowRight")
            probe.keyboard.type("0130P")
            twelve_hour = probe.eval_on_selector("#t", "(input) => input.value").endswith("13:30")
        finally:
            probe.close()
            page.bring_to_front()
        _DATE_LAYOUTS[browser] = (day_first, twelve_hour)
    return _DATE_LAYOUTS[browser]


def type_date(page, locator, moment):
    """Type a date (a `date`) or a date and time (a `datetime`, for datetime-local inputs) part
    by part, in the order the browser shows them; ArrowRight moves from the year to the time."""
    day_first, twelve_hour = _date_layout(page)
    focus(page, locator)
    parts = [f"{moment.day:02d}", f"{moment.month:02d}"]
    if not day_first:
        parts.reverse()
    page.keyboard.type("".join(parts) + f"{moment.year:04d}")
    expected = moment.strftime("%Y-%m-%d")
    if isinstance(moment, datetime.datetime):
        page.keyboard.press("ArrowRight")
        hour = moment.hour
        if twelve_hour:
            page.keyboard.type(f"{(hour % 12) or 12:02d}{moment.minute:02d}" + ("P" if hour >= 12 else "A"))
        else:
            page.keyboard.type(f"{hour:02d}{moment.minute:02d}")
        expected += moment.strftime("T%H:%M")
    expect(locator).to_have_value(expected)
    return locator


def choose(page, locator, value, *, max_presses=MAX_PRESSES):
    """Choose the <option> with this value of a closed <select> with the arrow keys."""
    focus(page, locator)
    values = locator.evaluate("(select) => [...select.options].map((option) => option.value)")
    if value not in values:
        pytest.fail(f"{describe(locator)} has no option {value!r} (options: {values})", pytrace=False)
    for _ in range(max_presses):
        current = locator.evaluate("(select) => select.selectedIndex")
        wanted = values.index(value)
        if current == wanted:
            expect(locator).to_have_value(value)
            return locator
        page.keyboard.press("ArrowDown" if wanted > current else "ArrowUp")
    pytest.fail(f"{describe(locator)}: option {value!r} not reached with the arrow keys", pytrace=False)


def tick(page, locator):
    """Tick a checkbox with Space (left as it is when already ticked)."""
    focus(page, locator)
    if not locator.is_checked():
        page.keyboard.press("Space")
    expect(locator).to_be_checked()
    return locator


def pick_radio(page, locator, *, max_presses=20):
    """Choose a radio button: Tab enters its group (on the checked button, else on the first),
    the arrow keys move the choice within it."""
    name = locator.get_attribute("name")
    group = f'input[type="radio"][name="{name}"]'
    position = f"(name) => [...document.querySelectorAll(`input[type=radio][name='${{name}}']`)]"
    target = locator.evaluate(f"(radio) => ({position})(radio.name).indexOf(radio)")
    checked = page.locator(f"{group}:checked")
    focus(page, checked if checked.count() else page.locator(group).first)
    for _ in range(max_presses):
        current = page.evaluate(f"(name) => ({position})(name).indexOf(document.activeElement)", name)
        if current == target:
            if not locator.is_checked():
                page.keyboard.press("Space")
            expect(locator).to_be_checked()
            assert_focus_visible(locator)
            return locator
        page.keyboard.press("ArrowDown" if target > current else "ArrowUp")
    pytest.fail(f"{describe(locator)} not reached with the arrow keys", pytrace=False)


def upload(page, locator, path):
    """Open the file input's chooser with Space and give it the file."""
    # Playwright asks Chromium to hand file choosers over to the test without waiting for the
    # answer: ask before moving the focus, so the request is in place when Space is pressed.
    if not getattr(page, "_hands_over_file_choosers", False):
        page.on("filechooser", lambda chooser: None)
        page._hands_over_file_choosers = True
    focus(page, locator)
    with page.expect_file_chooser() as chooser_info:
        page.keyboard.press("Space")
    chooser_info.value.set_files(str(path))
    return locator


def download(page, locator, key="Enter"):
    """Follow a download link with Enter; the Download."""
    focus(page, locator)
    with page.expect_download() as download_info:
        page.keyboard.press(key)
    return download_info.value
