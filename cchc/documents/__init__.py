"""Official documents (Nghị định 30/2020/NĐ-CP) as plain data, and their renderers.

A builder (`remediation.documents`, `scoring.reports`) turns the app's data into a
`Document` (`cchc.documents.model`); every format reads only that:
`cchc.documents.pdf` (HTML laid out by WeasyPrint) and `cchc.documents.docx`
(python-docx). A change of wording is made once, in the builder, and both files
follow.
"""
