"""The clearance status over the API: the one lifecycle action, with the host nation's answer."""

import pytest

from tests.api.conftest import api_for
from tests.factories import ClearanceFactory

pytestmark = pytest.mark.django_db


def test_clearance_status_step_records_the_answer_and_is_logged(post, attache):
    clearance = ClearanceFactory(post=post, created_by=attache, status="submitted", host_reference="MFA/26/9")
    client, url = api_for(attache), f"/api/v1/clearances/{clearance.pk}/"
    refused = client.post(url + "status/", {"to_status": "draft"}, HTTP_IF_MATCH=client.get(url)["ETag"])
    assert refused.status_code == 400 and "to_status" in refused.json()["fields"]
    response = client.post(
        url + "status/",
        {"to_status": "denied", "host_reference": "", "host_reply": "Refusé : le corridor est fermé."},
        HTTP_IF_MATCH=client.get(url)["ETag"],
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["next_statuses"], body["host_reference"]) == ("denied", [], "MFA/26/9")
    assert body["host_reply"] == "Refusé : le corridor est fermé." and body["replied_on"] is not None
    assert [(row["from_status"], row["to_status"]) for row in body["status_log"]] == [("submitted", "denied")]
    unknown = client.post(
        url + "status/", {"to_status": "cancelled", "mission": "renamed"}, HTTP_IF_MATCH=client.get(url)["ETag"]
    )
    assert unknown.status_code == 400
