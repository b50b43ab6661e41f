"""The timelines' texts — axis dates, the "today" and "ex-factory" labels, the milestones' names — never lie on
top of one another, on a desktop or a phone (finding 3: "11-29 12-01" overlapped and "today" covered the first
milestone's name). ECharts draws on a canvas, so the test reads what it drew from its scene graph."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.followup.tests.factories import confirmed_order
from gendan.followup.tests.test_browser_actions import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# every text ECharts drew and did not hide, as rectangles in the canvas's pixels
DRAWN_TEXTS_JS = """el => {
  const chart = echarts.getInstanceByDom(el);
  const boxes = [];
  for (const d of chart.getZr().storage.getDisplayList(true)) {
    if (d.type !== 'tspan' || d.invisible || !d.style.text) continue;
    const box = d.getBoundingRect().clone();
    if (d.transform) box.applyTransform(d.transform);
    if (box.width && box.height) boxes.push({text: d.style.text, x: box.x, y: box.y, w: box.width, h: box.height});
  }
  return boxes;
}"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    def meet(a, b):  # by more than a pixel each way: anti-aliasing edges may touch
        return (min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 1
                and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 1)
    return [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:] if meet(a, b)]


@pytest.mark.parametrize("width", [1366, 390])
def test_timeline_texts_do_not_overlap(page, live_server, salesperson, sales_manager, merchandiser, width):
    today = timezone.localdate()
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=today - timedelta(days=3), ex_factory=today + timedelta(days=40))
    log_in(page, live_server, merchandiser, width)
    for url, chart, drawn in ((order.get_absolute_url(), "plan-timeline", "订单评审会签"),
                              ("/followup/timeline/", "orders-timeline", order.number)):
        page.goto(f"{live_server.url}{url}")
        chart = page.locator(f"[data-testid={chart}]")
        expect(chart.locator("canvas")).to_have_count(1)
        page.wait_for_timeout(1500)  # ECharts animates its first drawing
        boxes = chart.evaluate(DRAWN_TEXTS_JS)
        texts = " ".join(box["text"] for box in boxes)
        assert "今天" in texts and drawn in texts, texts  # what is checked was drawn
        assert not overlapping(boxes), (url, width, overlapping(boxes))
