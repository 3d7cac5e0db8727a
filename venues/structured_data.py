"""schema.org Place for a venue, for search engines (JSON-LD)."""


def place(venue, *, absolute):
    data = {
        "@type": "Place",
        "name": venue.name,
        "url": absolute(venue.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.street,
            "postalCode": venue.postcode,
            "addressLocality": venue.town,
            "addressRegion": venue.municipality,
            "addressCountry": "NL",
        },
    }
    if venue.latitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    return data


def place_document(venue, *, absolute):
    return {"@context": "https://schema.org", **place(venue, absolute=absolute)}
