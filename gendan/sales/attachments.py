"""Order attachments are sent only through here, to people who may see the order (others get a 404)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from gendan.core.uploads import file_response
from gendan.sales.selectors import order_list_visible_to


@login_required
def attachment_download(request, pk, attachment_pk):
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=pk)
    attachment = get_object_or_404(order.attachments, pk=attachment_pk)
    return file_response(attachment.file, filename=str(attachment))
