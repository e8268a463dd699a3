"""The cartella's pages: I miei casi, accesso, case (by section), the forms of each phase.

Every case page goes through ``permessi.access_caso_for_user(user, pk, sezione)``: 404 for
anyone without that section (another ente, a colleague not on the case, the équipe member whose
role does not see it). Writing pages answer 403 to who may read but not write; the actions
check again. Reads of a case, an accesso, an assessment (analisi preliminare, quadro di analisi)
and a diario entry write one audit row each.
"""
