package dictionary

// affix is a prefix or suffix with a meaning written for learners. For a
// suffix, makes is the part of speech of the words it forms; for a prefix,
// makes is empty (the stem's part of speech stays) or "adjective" when the
// prefix turns a noun into a describing word ("anti-government protests").
type affix struct {
	form    string // as written, without the hyphen
	meaning string
	makes   string
}

// prefixes are tried longest first by Analyze, so "counter" wins over "co".
var prefixes = []affix{
	{"anti", "against, opposed to", "adjective"},
	{"bi", "two, twice", ""},
	{"co", "together, with someone else", ""},
	{"counter", "against; in answer to", ""},
	{"cross", "across, between different groups", "adjective"},
	{"de", "remove, undo, make less", ""},
	{"dis", "not; the opposite of", ""},
	{"ex", "former, no longer", ""},
	{"extra", "beyond, outside", ""},
	{"fore", "before, in front", ""},
	{"hyper", "too much, extremely", ""},
	{"il", "not (before l)", ""},
	{"im", "not (before b, m, p)", ""},
	{"in", "not", ""},
	{"inter", "between, among", "adjective"},
	{"intra", "inside, within", "adjective"},
	{"ir", "not (before r)", ""},
	{"mega", "very large", ""},
	{"micro", "very small", ""},
	{"mid", "in the middle of", ""},
	{"mis", "wrongly, badly", ""},
	{"multi", "many", "adjective"},
	{"neo", "new, a new form of", ""},
	{"non", "not", ""},
	{"out", "more or better than; outside", ""},
	{"over", "too much; above", ""},
	{"post", "after", "adjective"},
	{"pre", "before", "adjective"},
	{"pro", "in favour of, supporting", "adjective"},
	{"pseudo", "false, not real", ""},
	{"quasi", "partly, almost", ""},
	{"re", "again; back", ""},
	{"self", "of or by yourself or itself", ""},
	{"semi", "half, partly", ""},
	{"sub", "under, below; a smaller part of", ""},
	{"super", "above, more than, very large", ""},
	{"trans", "across, beyond", ""},
	{"tri", "three", ""},
	{"ultra", "extremely, beyond", ""},
	{"un", "not; or to reverse an action", ""},
	{"under", "too little; below", ""},
}

// suffixes are tried longest first, so "ization" wins over "ation" and "ion".
var suffixes = []affix{
	{"ability", "the quality of being able to be …ed", "noun"},
	{"ibility", "the quality of being able to be …ed", "noun"},
	{"able", "that can be …ed", "adjective"},
	{"ible", "that can be …ed", "adjective"},
	{"al", "of or relating to", "adjective"},
	{"ation", "the act or result of …ing", "noun"},
	{"dom", "the state or area of", "noun"},
	{"ee", "a person to whom something is done", "noun"},
	{"er", "a person or thing that does …", "noun"},
	{"or", "a person or thing that does …", "noun"},
	{"ful", "full of, having", "adjective"},
	{"hood", "the state or time of being", "noun"},
	{"ify", "to make or become", "verb"},
	{"ish", "rather, somewhat; like", "adjective"},
	{"ism", "a belief, system or practice", "noun"},
	{"ist", "a person who believes in or practises", "noun"},
	{"ity", "the quality of being", "noun"},
	{"ive", "tending to, having the quality of", "adjective"},
	{"isation", "the process of making or becoming", "noun"},
	{"ization", "the process of making or becoming", "noun"},
	{"ise", "to make or become", "verb"},
	{"ize", "to make or become", "verb"},
	{"less", "without", "adjective"},
	{"ly", "in a … way (makes adverbs)", "adverb"},
	{"ment", "the act, result or state of", "noun"},
	{"ness", "the quality or state of being", "noun"},
	{"ship", "the state, position or skill of", "noun"},
	{"sion", "the act or result of", "noun"},
	{"tion", "the act or result of", "noun"},
	{"ward", "in the direction of", "adverb"},
	{"wards", "in the direction of", "adverb"},
	{"wise", "in the way of; as regards", "adverb"},
}

// linkWords join the parts of compounds such as "year-on-year" and
// "face-to-face"; WordNet has no entries for most of them, or only senses
// that do not fit ("on": in operation).
var linkWords = map[string]string{
	"a":   "one, any",
	"and": "joins two things",
	"by":  "next to; one after another",
	"for": "intended for",
	"in":  "inside",
	"of":  "belonging to, made of",
	"on":  "after, compared with",
	"per": "for each",
	"the": "that one",
	"to":  "towards, facing",
}

// runBy is the meaning of a last part that makes "X-run", "X-based" and the
// like: a participle saying who runs, owns or is the base of a thing.
var runBy = map[string]string{
	"based":      "based in or on",
	"led":        "led by",
	"run":        "run by",
	"owned":      "owned by",
	"backed":     "supported by",
	"funded":     "paid for by",
	"controlled": "controlled by",
	"sponsored":  "paid for or supported by",
	"made":       "made by or in",
	"born":       "born in",
}
