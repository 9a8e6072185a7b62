"""The review page's widgets write in Python the very markup of Django's widget templates,
and its hand-drawn fields the markup crispy draws (whitespace aside)."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from reviews import widgets
from reviews.forms import AssignmentDeclineForm, ReviewForm
from reviews.models import ReviewSettings

CHOICES = [
    ("", "—"),
    ("0.5", "0.5"),
    ("a&b", 'say "<hi>"'),
    ("lazy", gettext_lazy("Recommend")),
    (7, 1234567),
    ("safe", mark_safe("<em>kept</em>")),
    ("Group <1>", [("g1", "one"), ("g2", "two")]),
]
ATTRS = [
    None,
    {"class": "form-select review-score"},
    {"class": 'x"y', "required": True, "disabled": False, "data-n": 3, "aria-describedby": "id_x_error"},
]


@pytest.mark.parametrize("value", [None, "", "0.5", "a&b", "g2", 7, ["lazy", "g1"]])
@pytest.mark.parametrize("attrs", ATTRS)
def test_select_draws_what_the_django_template_draws(value, attrs):
    for multiple in (False, True):
        django_class, ours = (
            (forms.SelectMultiple, type("Select", (widgets.Select,), {"allow_multiple_selected": True}))
            if multiple
            else (forms.Select, widgets.Select)
        )
        extra = {"id": "id_score_1", **(attrs or {})}
        expected = django_class(choices=CHOICES, attrs=attrs).render("score_1", value, attrs=extra)
        assert ours(choices=CHOICES, attrs=attrs).render("score_1", value, attrs=extra) == expected


def test_an_empty_select_draws_what_the_django_template_draws():
    assert widgets.Select().render("s", None) == forms.Select().render("s", None)


@pytest.mark.parametrize("value", [None, "", "A plan & <b>a budget</b>", "\nstarts with a newline", 42])
@pytest.mark.parametrize("attrs", ATTRS)
def test_textarea_draws_what_the_django_template_draws(value, attrs):
    extra = {"id": "id_comment_1", **(attrs or {})}
    expected = forms.Textarea(attrs=attrs).render("comment_1", value, attrs=extra)
    assert widgets.Textarea(attrs=attrs).render("comment_1", value, attrs=extra) == expected


def test_a_subclass_with_its_own_template_keeps_it():
    class Listed(widgets.Select):
        template_name = "django/forms/widgets/radio.html"
        option_template_name = "django/forms/widgets/radio_option.html"

    assert "<div" in str(Listed(choices=[("a", "A")]).render("r", "a"))


def without_whitespace(html):
    return re.sub(r">\s+", ">", re.sub(r"\s+<", "<", re.sub(r"\s+", " ", str(html)))).strip()


def crispy_and_hand_drawn(field):
    # By hand first: crispy adds its classes to the widget itself.
    by_hand = Template('{% include "reviews/evaluator/_field.html" %}').render(Context({"field": field}))
    crispy = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}").render(
        Context({"field": field})
    )
    return without_whitespace(crispy), without_whitespace(by_hand)


def review_form(data=None):
    return ReviewForm(data, criteria=[], review_settings=ReviewSettings(), submitting=True)


@pytest.mark.parametrize(
    "make_field",
    [
        lambda: review_form()["overall_comment"],
        lambda: review_form()["recommendation"],
        lambda: AssignmentDeclineForm()["reason"],
        lambda: AssignmentDeclineForm({"reason": ""})["reason"],
    ],
    ids=["comment", "recommendation", "decline reason", "decline reason with an error"],
)
def test_the_hand_drawn_field_is_the_crispy_field(make_field):
    crispy, by_hand = crispy_and_hand_drawn(make_field())
    assert by_hand == crispy


def test_the_hand_drawn_field_with_an_error_and_help_is_the_crispy_field():
    form = review_form({"recommendation": "", "overall_comment": "<b>ok</b>"})
    form.is_valid()
    form.add_error("recommendation", "Choose a recommendation.")
    form.add_error("recommendation", "And <another>.")
    form.fields["overall_comment"].help_text = "Shown to the <em>coordinator</em>."
    for name in ("recommendation", "overall_comment"):
        crispy, by_hand = crispy_and_hand_drawn(form[name])
        assert by_hand == crispy
        assert ("is-invalid" in by_hand) == (name == "recommendation")
