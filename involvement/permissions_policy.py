"""The browser features the service never uses. settings.PERMISSIONS_POLICY allows each of
them to nobody, and involvement.middleware.PermissionsPolicyMiddleware sends that on every
response, so no page (nor anything injected into one) may ask for them. interest-cohort and
browsing-topics opt out of the browser's advertising profiles.
"""

UNUSED_FEATURES = (
    "accelerometer",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
