"""Pages of the notify area, included by haidang.apps.web.urls into the `web` namespace."""

from django.urls import URLPattern, path

from haidang.apps.web.views import notify

urlpatterns: list[URLPattern] = [
    path("", notify.inbox, name="notify_inbox"),
    path("read-all/", notify.notification_read_all, name="notify_read_all"),
    path("<int:notification_id>/open/", notify.notification_open, name="notify_open"),
    path("<int:notification_id>/read/", notify.notification_read, name="notify_read"),
    path("alerts/", notify.alert_list, name="notify_alert_list"),
    path("alerts/<int:alert_id>/", notify.alert_detail, name="notify_alert_detail"),
    path("alerts/<int:alert_id>/acknowledge/", notify.alert_acknowledge, name="notify_alert_acknowledge"),
    path("channels/", notify.channel_list, name="notify_channels"),
    path("channels/unit/<int:unit_id>/", notify.unit_channels, name="notify_unit_channels"),
    path("channels/<int:channel_id>/test/", notify.channel_test, name="notify_channel_test"),
    path("channels/<int:channel_id>/toggle/", notify.channel_toggle, name="notify_channel_toggle"),
    path("channels/<int:channel_id>/delete/", notify.channel_delete, name="notify_channel_delete"),
    path("deliveries/", notify.delivery_log, name="notify_delivery_log"),
]
