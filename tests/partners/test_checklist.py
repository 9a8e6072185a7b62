"""The project's onboarding checklist: steps moved up and down (with or without htmx), an
unused step deleted, a step a city has completed only retired, its history kept."""

import pytest
from django.urls import reverse

from partners import services
from partners.models import ChecklistItem, ItemState
from portal.models import AuditEvent
from tests.factories.partners import (
    ChecklistItemFactory,
    partner_with_member,
    project_coordinator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(client):
    partner, member = partner_with_member()
    coordinator = project_coordinator(partner.project)
    steps = [
        ChecklistItemFactory(project=partner.project, order=order, title_en=title)
        for order, title in enumerate(["Sign", "Name the focal point", "Confirm the notice"], start=1)
    ]
    client.force_login(coordinator)
    return partner, member, coordinator, steps


def titles(project):
    return list(ChecklistItem.objects.filter(project=project).values_list("title_en", flat=True))


def move(client, project, item, direction, **headers):
    return client.post(
        reverse("partners:checklist_move", args=[project.slug, item.pk]), {"direction": direction}, **headers
    )


def test_a_step_moves_down_and_up_and_each_move_is_audited(client, checklist):
    partner, _member, _coordinator, (sign, _focal, notice) = checklist
    response = move(client, partner.project, sign, "down")
    assert response.status_code == 302
    assert titles(partner.project) == ["Name the focal point", "Sign", "Confirm the notice"]
    move(client, partner.project, notice, "up")
    assert titles(partner.project) == ["Name the focal point", "Confirm the notice", "Sign"]
    assert list(ChecklistItem.objects.filter(project=partner.project).values_list("order", flat=True)) == [
        1,
        2,
        3,
    ]
    moved = AuditEvent.objects.filter(action="onboarding.item_moved").order_by("pk")
    assert [(e.before, e.after) for e in moved] == [
        ({"position": 1}, {"position": 2}),
        ({"position": 3}, {"position": 2}),
    ]


def test_a_step_at_an_end_stays_there(client, checklist):
    partner, _member, _coordinator, (sign, _focal, notice) = checklist
    move(client, partner.project, sign, "up")
    move(client, partner.project, notice, "down")
    assert titles(partner.project) == ["Sign", "Name the focal point", "Confirm the notice"]
    assert not AuditEvent.objects.filter(action="onboarding.item_moved").exists()
    response = move(client, partner.project, sign, "sideways")
    assert response.status_code == 404


def test_with_htmx_the_list_comes_back_with_the_focus_on_the_moved_step_and_news_for_screen_readers(
    client, checklist
):
    partner, _member, _coordinator, (sign, focal, _notice) = checklist
    response = move(client, partner.project, focal, "up", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and page.startswith('<div id="checklist-items">')
    up = page[page.index(f"Move “{focal.title_en}” up") - 400 : page.index(f"Move “{focal.title_en}” up")]
    # At the top now, its "up" button is disabled: the focus goes to its "down" button.
    assert "disabled" in up[up.rindex("<button") :]
    down_button = page[: page.index(f"Move “{focal.title_en}” down")]
    assert "autofocus" in down_button[down_button.rindex("<button") :]
    assert page.count("autofocus") == 1
    assert 'id="checklist-status"' in page and 'data-hx-swap-oob="true"' in page
    assert "is now step 1 of 3" in page
    # Sign, second now, moves down to the end: its "down" button is disabled there, the
    # focus stays on the step, on its "up" button.
    page = move(client, partner.project, sign, "down", HTTP_HX_REQUEST="true").content.decode()
    before_up = page[: page.index(f"Move “{sign.title_en}” up")]
    assert "autofocus" in before_up[before_up.rindex("<button") :]
    before_down = page[: page.index(f"Move “{sign.title_en}” down")]
    assert "disabled" in before_down[before_down.rindex("<button") :]
    assert titles(partner.project) == ["Name the focal point", "Confirm the notice", "Sign"]


def test_the_buttons_say_which_step_they_move(client, checklist):
    partner, *_ = checklist
    page = client.get(reverse("partners:checklist", args=[partner.project.slug])).content.decode()
    for title in ("Sign", "Name the focal point", "Confirm the notice"):
        assert f"Move “{title}” up" in page and f"Move “{title}” down" in page
    assert page.count('name="direction"') == 6 and page.count(" disabled") == 2


def test_a_new_step_goes_to_the_end(client, checklist):
    partner, *_ = checklist
    response = client.post(
        reverse("partners:checklist", args=[partner.project.slug]),
        {"new-kind": "confirmation", "new-title_en": "Send the logo", "new-is_active": "on"},
    )
    assert response.status_code == 302
    assert titles(partner.project)[-1] == "Send the logo"
    assert ChecklistItem.objects.get(title_en="Send the logo").order == 4


def test_a_step_no_city_has_started_is_deleted(client, checklist):
    partner, _member, _coordinator, (_sign, focal, _notice) = checklist
    page = client.get(
        reverse("partners:checklist_item", args=[partner.project.slug, focal.pk])
    ).content.decode()
    assert "Delete “Name the focal point”" in page
    response = client.post(reverse("partners:checklist_item_delete", args=[partner.project.slug, focal.pk]))
    assert response.status_code == 302
    assert titles(partner.project) == ["Sign", "Confirm the notice"]
    assert (
        AuditEvent.objects.get(action="onboarding.item_deleted").before["title_en"] == "Name the focal point"
    )


def test_a_step_a_city_has_completed_can_only_be_retired_and_its_history_stays(client, checklist):
    partner, member, coordinator, (sign, _focal, _notice) = checklist
    services.confirm_item(partner, sign, by=member)
    page = client.get(
        reverse("partners:checklist_item", args=[partner.project.slug, sign.pk])
    ).content.decode()
    assert "cannot be deleted" in page and "Delete “Sign”" not in page
    response = client.post(
        reverse("partners:checklist_item_delete", args=[partner.project.slug, sign.pk]), follow=True
    )
    assert "retire it instead" in response.content.decode()
    assert ChecklistItem.objects.filter(pk=sign.pk).exists()
    with pytest.raises(services.PartnershipError):
        services.delete_checklist_item(sign, by=coordinator)

    services.save_checklist_item(partner.project, by=coordinator, values={"is_active": False}, item=sign)
    assert partner.progress.get(item=sign).state == ItemState.DONE
    client.force_login(member)
    home = client.get(reverse("partners:partner_home", args=[partner.pk])).content.decode()
    assert ">Sign<" not in home and "of 2 steps done" in home
    client.force_login(coordinator)
    history = client.get(
        reverse("partners:project_partner", args=[partner.project.slug, partner.pk])
    ).content.decode()
    assert "Sign" in history and "retired" in history
    listed = client.get(reverse("partners:checklist", args=[partner.project.slug])).content.decode()
    assert "retired" in listed and "(started by 1 city)" in listed


def test_an_open_progress_row_does_not_keep_a_step_from_being_deleted(client, checklist):
    partner, _member, coordinator, (_sign, focal, _notice) = checklist
    services.set_item_state(partner, focal, by=coordinator, state=ItemState.OPEN, note="Sent back")
    services.delete_checklist_item(focal, by=coordinator)
    assert not ChecklistItem.objects.filter(pk=focal.pk).exists()


def test_another_projects_coordinator_cannot_move_or_delete(client, checklist):
    partner, _member, _coordinator, (sign, _focal, _notice) = checklist
    other, _ = partner_with_member()
    client.force_login(project_coordinator(other.project))
    assert move(client, partner.project, sign, "down").status_code == 404
    response = client.post(reverse("partners:checklist_item_delete", args=[partner.project.slug, sign.pk]))
    assert response.status_code == 404
    assert titles(partner.project) == ["Sign", "Name the focal point", "Confirm the notice"]
