"""HTML → PDF with WeasyPrint. The page (A4, margins, page numbers, the CJK font) is in the templates'
stylesheet; this module only renders, so every document looks the same."""

import base64
from functools import cache

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from gendan.core.models import CompanyProfile


@cache
def _fonts() -> FontConfiguration:
    """One font configuration per process: fontconfig reads the Noto CJK files once."""
    return FontConfiguration()


def letterhead() -> dict:
    """The company as documents print it; the logo inlined so rendering never fetches a URL."""
    company = CompanyProfile.objects.filter(pk=CompanyProfile.ROW).first() or CompanyProfile()
    logo = ""
    if company.logo:
        try:
            with company.logo.open("rb") as handle:
                kind = "png" if company.logo.name.lower().endswith(".png") else "jpeg"
                logo = f"data:image/{kind};base64,{base64.b64encode(handle.read()).decode()}"
        except FileNotFoundError:
            logo = ""
    return {"company": company, "logo": logo}


def html_of(template: str, context: dict) -> str:
    return render_to_string(template, context)


def pdf_of(html: str) -> bytes:
    # Documents carry everything inline (the logo as a data: URL): nothing is fetched from a file or the network,
    # whatever a template or a customer's text might name.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf(font_config=_fonts())
