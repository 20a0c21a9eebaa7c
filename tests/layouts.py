"""Published layouts written out for tests that build small files by hand."""

# The A&E "Provider Level Data" sheet saved as CSV: its header (the Type 1/2/3 names repeat
# under each group) and one trust's row, as published (separators, percentages, '-').
SHEET_HEADER = (
    "Code,Region,Name,Type 1 Departments - Major A&E,Type 2 Departments - Single Specialty,"
    "Type 3 Departments - Other A&E/Minor Injury Unit,Total attendances,"
    "Type 1 Departments - Major A&E,Type 2 Departments - Single Specialty,"
    "Type 3 Departments - Other A&E/Minor Injury Unit,Total Attendances < 4 hours,"
    "Type 1 Departments - Major A&E,Type 2 Departments - Single Specialty,"
    "Type 3 Departments - Other A&E/Minor Injury Unit,Total Attendances > 4 hours,"
    "Percentage in 4 hours or less (all),Percentage in 4 hours or less (type 1),"
    "Percentage in 4 hours or less (type 2),Percentage in 4 hours or less (type 3),"
    "Emergency Admissions via Type 1 A&E,Emergency Admissions via Type 2 A&E,"
    "Emergency Admissions via Type 3 and 4 A&E,Total Emergency Admissions via A&E,"
    "Other Emergency admissions (i.e not via A&E),Total Emergency Admissions,"
    "Number of patients spending >4 hours from decision to admit to admission,"
    "Number of patients spending >12 hours from decision to admit to admission"
)
SHEET_ROW = (
    'ZA1,NHS England London ,Northgate Hospitals,"16,670",0,"9,034","25,704","10,496",0,'
    '"9,034","19,530","6,174",0,0,"6,174",76.00%,63.00%,-,100.00%,"4,772",0,0,"4,772",'
    '"2,379","7,151",87,5'
)
