"""INPS formats of the DSU: the DSU XML (``ISEE_Dichiarazione.xsd``) and its command line.

- :mod:`.dsu_xml`: :func:`importa_dsu_xml` (validated against the INPS XSD, not shipped) and
  :func:`esporta_dsu_xml`;
- :mod:`.cli`: ``equo isee importa`` and ``equo isee esporta``.
"""

from equo.isee.inps.dsu_xml import DsuImportata, dsu_come_xml, esporta_dsu_xml, importa_dsu_xml

__all__ = ["DsuImportata", "dsu_come_xml", "esporta_dsu_xml", "importa_dsu_xml"]
