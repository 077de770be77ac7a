"""The one pagination every list uses: links keep the filters and centre on the current page."""

from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from welfare_portal.pagination import paginate

TEMPLATE = Template("{% load pagination %}{% pagination page label='Pagine' param=param %}")


def render(page, query="", param="page"):
    request = RequestFactory().get("/list/" + query)
    with translation.override("en"):
        return TEMPLATE.render(Context({"request": request, "page": page, "param": param}))


def test_a_single_page_shows_no_links():
    assert "pagination" not in render(Paginator(range(5), 20).page(1))


def test_links_keep_the_search_and_filters_and_mark_the_current_page():
    html = render(Paginator(range(100), 10).page(2), "?q=anziani&kind=school&page=2")
    assert 'aria-label="Pagine"' in html
    assert 'href="?q=anziani&amp;kind=school&amp;page=3"' in html  # next page and page 3
    assert 'href="?q=anziani&amp;kind=school&amp;page=1"' in html  # previous page
    assert 'aria-current="page"><span class="visually-hidden">Page</span> 2</a>' in html


def test_far_pages_are_elided_around_the_current_one():
    html = render(Paginator(range(200), 10).page(10))
    numbers = [n for n in range(1, 21) if f'page={n}"' in html]
    assert numbers == [1, 8, 9, 10, 11, 12, 20]
    assert html.count("…") == 2


def test_a_second_list_on_the_same_page_uses_its_own_parameter():
    html = render(Paginator(range(50), 10).page(1), "?page=3", param="past_page")
    assert 'href="?page=3&amp;past_page=2"' in html


def test_paginate_falls_back_to_a_real_page_for_stale_or_edited_links():
    request = RequestFactory().get("/list/", {"page": "99"})
    assert paginate(request, list(range(45))).number == 3
    request = RequestFactory().get("/list/", {"page": "abc"})
    assert paginate(request, list(range(45))).number == 1
