package sar

// FinCEN's code lists, as the SAR batch schema (testdata/fincen/EFL_SARXBatchSchema.xsd)
// enumerates them, with the schema's own descriptions.

// Categories are the suspicious activity types.
var Categories = map[int]string{
	1: "Structuring", 3: "Fraud", 4: "Identification documentation", 5: "Insurance",
	6: "Securities/Futures/Options", 7: "Terrorist financing", 8: "Money laundering",
	9: "Other suspicious activities", 10: "Mortgage fraud", 11: "Cyber event", 12: "Gaming activities",
}

// Subcategories are the suspicious activity subtypes; SubcategoryType gives each its type.
var Subcategories = map[int]string{
	106: "Suspicious inquiry by customer regarding BSA reporting or recordkeeping requirements",
	111: "Alters or cancels transaction to avoid BSA recordkeeping requirement",
	112: "Alters or cancels transaction to avoid CTR requirement", 113: "Transaction(s) below BSA recordkeeping threshold",
	114: "Transaction(s) below CTR threshold", 301: "Check", 304: "Consumer loan", 305: "Credit/Debit card", 308: "Mail",
	309: "Mass-marketing", 310: "Pyramid scheme", 312: "Wire transfer", 320: "ACH", 321: "Business loan", 322: "Advance fee",
	323: "Healthcare/Public or private health insurance", 324: "Ponzi scheme", 325: "Securities fraud",
	401: "Changes spelling or arrangement of name", 402: "Multiple individuals with same or similar identities",
	403: "Provided questionable or false documentation", 404: "Refused or avoided request for documentation",
	405: "Single individual with multiple identities", 409: "Provided questionable or false identification",
	501: "Excessive insurance", 502: "Excessive or unusual cash borrowing against policy/annuity",
	504: "Proceeds sent to unrelated third party", 505: "Suspicious life settlement sales insurance",
	506: "Suspicious termination of policy or contract", 507: "Unclear or no insurable interest", 601: "Insider trading",
	603: "Misappropriation", 604: "Unauthorized pooling", 608: "Market manipulation", 609: "Wash trading",
	701: "Known or suspected terrorist/terrorist organization", 801: "Exchanges small bills for large bills or vice versa",
	804: "Suspicious designation of beneficiaries, assignees or joint owners", 805: "Suspicious EFT/wire transfers",
	806: "Suspicious receipt of government payments/benefits", 807: "Suspicious use of multiple accounts",
	808: "Suspicious use of noncash monetary instruments", 809: "Suspicious use of third-party transactors (straw-man)",
	812: "Transaction out of pattern for customer(s)", 820: "Suspicious concerning the physical condition of funds",
	821: "Suspicious concerning the source of funds", 822: "Suspicious exchange of currencies",
	823: "Trade based money laundering/Black market peso exchange", 824: "Funnel account", 901: "Bribery or gratuity",
	903: "Embezzlement/theft/disappearance of funds", 904: "Forgeries", 905: "Identity theft",
	907: "Suspected public/private corruption (domestic)", 908: "Suspected public/private corruption (foreign)",
	909: "Suspicious use of informal value transfer system", 910: "Suspicious use of multiple locations",
	911: "Two or more individuals working together", 913: "Unlicensed or unregistered MSB",
	917: "Counterfeit instrument (other)", 920: "Account takeover", 921: "Elder financial exploitation",
	922: "Little or no concern for product performance, penalties, fees, or tax consequences",
	924: "Misuse of position or self-dealing", 925: "Transaction with no apparent economic, business, or lawful purpose",
	926: "Human smuggling", 927: "Human trafficking", 928: "Transaction(s) involving foreign high risk jurisdiction",
	1001: "Appraisal fraud", 1003: "Loan modification fraud", 1005: "Application fraud",
	1006: "Foreclosure/Short sale fraud", 1007: "Origination fraud", 1101: "Against financial institution(s)",
	1102: "Against financial institution customer(s)", 1201: "Chip walking",
	1202: "Minimal gaming with large transactions", 1203: "Suspicious use of counter checks or markers",
	1204: "Unknown source of chips", 1999: "Other", 3999: "Other", 4999: "Other", 5999: "Other", 6999: "Other",
	7999: "Other", 8999: "Other", 9999: "Other", 10999: "Other", 11999: "Other", 12999: "Other",
}

// SubcategoryType returns the type a subtype belongs to: 111 is Structuring's (1), 1102
// Cyber event's (11), 3999 Fraud's "Other" (3).
func SubcategoryType(sub int) int {
	if sub%1000 == 999 {
		return sub / 1000
	}
	return sub / 100
}

// IsOther reports whether a subtype is an "Other", which needs a description.
func IsOther(sub int) bool { return sub%1000 == 999 }

// IdentifierTypes are the party identification types a subject may have.
var IdentifierTypes = map[string]string{
	"1": "SSN/ITIN", "2": "EIN", "4": "TIN", "5": "Driver's license/State ID", "6": "Passport",
	"7": "Alien registration", "9": "Foreign", "999": "Other",
}

// Regulators are the primary federal regulators.
var Regulators = map[string]string{
	"9": "CFTC", "1": "Federal Reserve", "2": "FDIC", "7": "IRS", "3": "NCUA", "4": "OCC", "6": "SEC", "13": "FHFA", "99": "Not applicable",
}

// InstitutionTypes are the organization types of a filing institution.
var InstitutionTypes = map[int]string{
	1: "Casino/Card club", 2: "Depository institution", 3: "Insurance company", 4: "Money services business (MSB)",
	5: "Securities/Futures", 11: "Loan or finance company", 12: "Housing GSE",
}
