"""DCAT-AP 3 for the catalogue (rdflib): datasets, distributions, publisher, contact, with the
GD-Catalog fields mapped as ckanext-dcat does (frequency, access rights, spatial, temporal) and
the Thai ones kept under a small extension namespace."""

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from thetsaban.localdata.choices import FREQUENCY, PUBLIC_DATA

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
GDC = Namespace("https://gdcatalog.go.th/ns#")
FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
ACCESS = Namespace("http://publications.europa.eu/resource/authority/access-right/")
LANG = Namespace("http://publications.europa.eu/resource/authority/language/")
DQV = Namespace("http://www.w3.org/ns/dqv#")
FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}
CONTENT_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "rdf": "application/rdf+xml"}
LANGUAGES = {"ไทย": "THA", "อังกฤษ": "ENG", "จีน": "ZHO", "มลายู": "MSA", "พม่า": "MYA", "ลาว": "LAO",
             "เขมร": "KHM", "ญี่ปุ่น": "JPN", "เกาหลี": "KOR", "ฝรั่งเศส": "FRA", "เยอรมัน": "DEU", "อารบิก": "ARA"}


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("gdc", GDC),
                              ("hydra", HYDRA), ("adms", ADMS), ("dqv", DQV)):
        graph.bind(prefix, namespace)
    return graph


def add_dataset(graph: Graph, package: dict, base_url: str) -> URIRef:
    """Add one dataset (a package_show dict) to the graph; returns its URI."""
    uri = URIRef(f"{base_url}/dataset/{package['name']}")
    graph.add((uri, RDF.type, DCAT.Dataset))
    graph.add((uri, DCTERMS.identifier, Literal(package["id"])))
    graph.add((uri, DCTERMS.title, Literal(package["title"], lang="th")))
    if package["notes"]:
        graph.add((uri, DCTERMS.description, Literal(package["notes"], lang="th")))
    graph.add((uri, DCTERMS.issued, Literal(package["metadata_created"], datatype=XSD.dateTime)))
    graph.add((uri, DCTERMS.modified, Literal(package["metadata_modified"], datatype=XSD.dateTime)))
    graph.add((uri, DCAT.landingPage, URIRef(package["url"] or f"{base_url}/data/datasets/{package['name']}/")))
    for tag in package["tags"]:
        graph.add((uri, DCAT.keyword, Literal(tag["name"])))
    for group in package["groups"]:
        graph.add((uri, DCAT.theme, URIRef(f"{base_url}/group/{group['name']}")))
    code, _days = FREQUENCY.get(package["update_frequency_unit"], ("UNKNOWN", None))
    graph.add((uri, DCTERMS.accrualPeriodicity, FREQ[code]))
    graph.add((uri, DCTERMS.accessRights, ACCESS["PUBLIC" if package["data_category"] == PUBLIC_DATA else "NON_PUBLIC"]))
    for language in package["data_language"]:
        if language in LANGUAGES:
            graph.add((uri, DCTERMS.language, LANG[LANGUAGES[language]]))
    if package["data_source"]:
        graph.add((uri, DCTERMS.provenance, Literal(package["data_source"], lang="th")))
    if package["accessible_condition"]:
        graph.add((uri, DCTERMS.rights, Literal(package["accessible_condition"], lang="th")))
    if package["geo_coverage"]:
        spatial = BNode()
        graph.add((uri, DCTERMS.spatial, spatial))
        graph.add((spatial, RDF.type, DCTERMS.Location))
        graph.add((spatial, DCTERMS.description, Literal(package["geo_coverage"], lang="th")))
    if package["first_year_of_data"] or package["last_year_of_data"]:
        temporal = BNode()
        graph.add((uri, DCTERMS.temporal, temporal))
        graph.add((temporal, RDF.type, DCTERMS.PeriodOfTime))
        # GD-Catalog years are Buddhist Era; DCAT wants Gregorian dates.
        if package["first_year_of_data"].isdigit():
            graph.add((temporal, DCAT.startDate, Literal(f"{int(package['first_year_of_data']) - 543}-01-01",
                                                         datatype=XSD.date)))
        if package["last_year_of_data"].isdigit():
            graph.add((temporal, DCAT.endDate, Literal(f"{int(package['last_year_of_data']) - 543}-12-31",
                                                       datatype=XSD.date)))
    org = package["organization"]
    publisher = URIRef(f"{base_url}/organization/{org['name']}")
    graph.add((uri, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(org["title"], lang="th")))
    if package["maintainer"] or package["maintainer_email"]:
        contact = BNode()
        graph.add((uri, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Kind))
        if package["maintainer"]:
            graph.add((contact, VCARD.fn, Literal(package["maintainer"])))
        if package["maintainer_email"]:
            graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{package['maintainer_email']}")))
    for name in ("data_type", "data_category", "geo_coverage", "update_frequency_unit", "license_id"):
        if package[name]:
            graph.add((uri, GDC[name], Literal(package[name], lang="th")))
    for name in ("objective", "disaggregate", "data_format"):
        for value in package[name]:
            graph.add((uri, GDC[name], Literal(value)))
    quality = package["quality"]
    measurement = BNode()
    graph.add((uri, DQV.hasQualityMeasurement, measurement))
    graph.add((measurement, RDF.type, DQV.QualityMeasurement))
    graph.add((measurement, DQV.value, Literal(quality["total"], datatype=XSD.integer)))
    graph.add((uri, GDC.quality_grade, Literal(quality["grade"])))
    for resource in package["resources"]:
        dist = URIRef(f"{base_url}/dataset/{package['name']}/resource/{resource['id']}")
        graph.add((uri, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCTERMS.title, Literal(resource["name"], lang="th")))
        if resource["url"]:
            graph.add((dist, DCAT.accessURL, URIRef(resource["url"])))
            graph.add((dist, DCAT.downloadURL, URIRef(resource["url"])))
        if resource["format"]:
            graph.add((dist, DCTERMS.format, Literal(resource["format"])))
        graph.add((dist, DCTERMS.license, Literal(package["license_id"])))
    return uri


def catalog_graph(packages: list[dict], base_url: str, *, page: int, per_page: int, total: int) -> Graph:
    """A page of the catalogue, with hydra paging links to the next and previous pages."""
    graph = new_graph()
    catalog = URIRef(f"{base_url}/catalog")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal("คลังข้อมูลท้องถิ่น เทศบาล", lang="th")))
    graph.add((catalog, DCTERMS.title, Literal("Thetsaban local data hub", lang="en")))
    for package in packages:
        graph.add((catalog, DCAT.dataset, add_dataset(graph, package, base_url)))
    last = max(1, (total + per_page - 1) // per_page)
    paging = URIRef(f"{base_url}/catalog?page={page}")
    graph.add((paging, RDF.type, HYDRA.PagedCollection))
    graph.add((paging, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((paging, HYDRA.itemsPerPage, Literal(per_page, datatype=XSD.integer)))
    graph.add((paging, HYDRA.firstPage, Literal(f"{base_url}/catalog?page=1")))
    graph.add((paging, HYDRA.lastPage, Literal(f"{base_url}/catalog?page={last}")))
    if page < last:
        graph.add((paging, HYDRA.nextPage, Literal(f"{base_url}/catalog?page={page + 1}")))
    if page > 1:
        graph.add((paging, HYDRA.previousPage, Literal(f"{base_url}/catalog?page={page - 1}")))
    return graph
