"""A person using SIAP over HTTP(S), as a browser would: pages, forms with their CSRF and one-time tokens, files.

No Django test client here: every request goes over the network to the running topology.
"""

from urllib.parse import urljoin

import lxml.html
import requests


class UnexpectedResponse(AssertionError):
    """A page answered with a status the step did not expect; the message carries what the page said."""

    def __init__(self, response, expected):
        text = page_text(response)[:2000]
        super().__init__(
            f"{response.request.method} {response.url}: HTTP {response.status_code}, expected {expected}:\n{text}"
        )
        self.response = response


def page_text(response):
    """What a person reads on the page: its visible text, whitespace folded (the raw body if it is not HTML)."""
    if "html" not in response.headers.get("Content-Type", ""):
        return response.text[:2000] if response.encoding else f"<{len(response.content)} bytes>"
    document = lxml.html.fromstring(response.content)
    for hidden in document.xpath("//script|//style"):
        hidden.drop_tree()
    return " ".join(document.text_content().split())


def messages(response):
    """The page's flash messages (Django's messages framework, rendered in the layout)."""
    document = lxml.html.fromstring(response.content)
    return [" ".join(node.text_content().split()) for node in document.xpath(
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' messages ')]//li | //*[@role='alert']")]


class SiapClient:
    def __init__(self, base_url, verify=False):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        # given with every request: a CA bundle named in the environment would otherwise win over the session's
        self.verify = verify
        self.session.headers["Accept-Language"] = "id"

    def url(self, path):
        return urljoin(self.base_url + "/", path.lstrip("/")) if not path.startswith("http") else path

    def get(self, path, expect=(200,), **kwargs):
        response = self.session.get(self.url(path), timeout=60, verify=self.verify, **kwargs)
        if response.status_code not in expect:
            raise UnexpectedResponse(response, expect)
        return response

    def login(self, username, password):
        response = self.post_form("/akun/masuk/", {"username": username, "password": password})
        if "/akun/masuk/" in response.url:
            raise AssertionError(f"login as {username} refused: {page_text(response)[:1000]}")
        return response

    def logout(self):
        self.post_form("/", {}, form="//form[contains(@action, '/akun/keluar/')]")

    def post_form(self, path, data, files=None, form=None, expect=(200,)):
        """Fetch ``path``, fill its form (``form``: an XPath; else the one form that has every field of ``data``,
        the last when several do) with its CSRF token and one-time token, and send it; follows redirects."""
        page = self.get(path)
        document = lxml.html.fromstring(page.content, base_url=page.url)
        element = self._form(document, data, files, form, page)
        fields = {name: value for name, value in element.form_values() if name != "csrfmiddlewaretoken"}
        # the fields this step sets replace the page's own values; list values are multiple choices
        payload = [(name, value) for name, value in fields.items() if name not in data]
        for name, value in data.items():
            payload += [(name, item) for item in value] if isinstance(value, (list, tuple)) else [(name, value)]
        token = document.xpath("//input[@name='csrfmiddlewaretoken']/@value")
        if token:
            payload.append(("csrfmiddlewaretoken", token[0]))
        action = urljoin(page.url, element.get("action") or page.url)
        # Django checks the Referer of every HTTPS form post (CSRF): the page the form came from
        response = self.session.post(
            action, data=payload, files=files, headers={"Referer": page.url}, timeout=300, verify=self.verify
        )
        if response.status_code not in expect:
            raise UnexpectedResponse(response, expect)
        return response

    @staticmethod
    def _form(document, data, files, form, page):
        if form is not None:
            found = document.xpath(form)
        else:
            wanted = set(data) | set(files or {})
            found = [
                candidate for candidate in document.forms
                if wanted <= {field.get("name") for field in candidate.xpath(".//*[@name]")}
            ]
        if not found:
            raise AssertionError(f"{page.url}: no form {form or sorted(set(data) | set(files or {}))}:\n"
                                 f"{page_text(page)[:1500]}")
        return found[-1]
