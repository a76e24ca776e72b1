"""The login page leads anyone to the pages open without a login, and each of them answers."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_links_the_public_pages_in_hindi(client):
    html = client.get(reverse("access:login")).content.decode()
    for path, label in (("/status/", "शिकायत की स्थिति"), ("/today/", "आज कौन बैठेगा"),
                        ("/verify/", "कार्यकर्ता की जांच")):
        assert f'href="{path}"' in html and label in html
        assert client.get(path).status_code == 200
    assert "बिना लॉग इन" in html
