/**
 * Mixed-script labels (PROTOCOL.md §4 rule 7, "a label mixing scripts"), as UTS #39 §5.1
 * defines them: a label is mixed-script when its resolved script set is empty, the
 * intersection of every character's augmented script set, Common and Inherited left out.
 * Augmented sets are what let one label hold the scripts of one writing system: Han with
 * Hiragana and Katakana (Japanese), with Hangul (Korean) or with Bopomofo (Chinese). Latin
 * goes with none of them: `shㅇp` (a Hangul ㅇ), `mi丨o` (a Han 丨) and `abc中国` mix scripts,
 * as `pаypal` (a Cyrillic а) does, while `日本語のドメイン` and `한국어도메인` do not.
 */

/**
 * Every script of Unicode 17 but Common and Inherited. A letter of a script the runtime's
 * regular expressions do not know (older Unicode data) counts as of the script `Unknown`.
 */
const SCRIPT_NAMES = [
  'Adlam', 'Ahom', 'Anatolian_Hieroglyphs', 'Arabic', 'Armenian', 'Avestan', 'Balinese', 'Bamum', 'Bassa_Vah', 'Batak',
  'Bengali', 'Beria_Erfe', 'Bhaiksuki', 'Bopomofo', 'Brahmi', 'Braille', 'Buginese', 'Buhid', 'Canadian_Aboriginal', 'Carian',
  'Caucasian_Albanian', 'Chakma', 'Cham', 'Cherokee', 'Chorasmian', 'Coptic', 'Cuneiform', 'Cypriot', 'Cypro_Minoan', 'Cyrillic',
  'Deseret', 'Devanagari', 'Dives_Akuru', 'Dogra', 'Duployan', 'Egyptian_Hieroglyphs', 'Elbasan', 'Elymaic', 'Ethiopic', 'Garay',
  'Georgian', 'Glagolitic', 'Gothic', 'Grantha', 'Greek', 'Gujarati', 'Gunjala_Gondi', 'Gurmukhi', 'Gurung_Khema', 'Han',
  'Hangul', 'Hanifi_Rohingya', 'Hanunoo', 'Hatran', 'Hebrew', 'Hiragana', 'Imperial_Aramaic', 'Inscriptional_Pahlavi',
  'Inscriptional_Parthian', 'Javanese', 'Kaithi', 'Kannada', 'Katakana', 'Kawi', 'Kayah_Li', 'Kharoshthi', 'Khitan_Small_Script',
  'Khmer', 'Khojki', 'Khudawadi', 'Kirat_Rai', 'Lao', 'Latin', 'Lepcha', 'Limbu', 'Linear_A', 'Linear_B', 'Lisu', 'Lycian',
  'Lydian', 'Mahajani', 'Makasar', 'Malayalam', 'Mandaic', 'Manichaean', 'Marchen', 'Masaram_Gondi', 'Medefaidrin',
  'Meetei_Mayek', 'Mende_Kikakui', 'Meroitic_Cursive', 'Meroitic_Hieroglyphs', 'Miao', 'Modi', 'Mongolian', 'Mro', 'Multani',
  'Myanmar', 'Nabataean', 'Nag_Mundari', 'Nandinagari', 'New_Tai_Lue', 'Newa', 'Nko', 'Nushu', 'Nyiakeng_Puachue_Hmong', 'Ogham',
  'Ol_Chiki', 'Ol_Onal', 'Old_Hungarian', 'Old_Italic', 'Old_North_Arabian', 'Old_Permic', 'Old_Persian', 'Old_Sogdian',
  'Old_South_Arabian', 'Old_Turkic', 'Old_Uyghur', 'Oriya', 'Osage', 'Osmanya', 'Pahawh_Hmong', 'Palmyrene', 'Pau_Cin_Hau',
  'Phags_Pa', 'Phoenician', 'Psalter_Pahlavi', 'Rejang', 'Runic', 'Samaritan', 'Saurashtra', 'Sharada', 'Shavian', 'Siddham',
  'Sidetic', 'SignWriting', 'Sinhala', 'Sogdian', 'Sora_Sompeng', 'Soyombo', 'Sundanese', 'Sunuwar', 'Syloti_Nagri', 'Syriac',
  'Tagalog', 'Tagbanwa', 'Tai_Le', 'Tai_Tham', 'Tai_Viet', 'Tai_Yo', 'Takri', 'Tamil', 'Tangsa', 'Tangut', 'Telugu', 'Thaana',
  'Thai', 'Tibetan', 'Tifinagh', 'Tirhuta', 'Todhri', 'Tolong_Siki', 'Toto', 'Tulu_Tigalari', 'Ugaritic', 'Vai', 'Vithkuqi',
  'Wancho', 'Warang_Citi', 'Yezidi', 'Yi', 'Zanabazar_Square',
] as const;

function knownScript(name: string): { name: string; test: RegExp } | null {
  try {
    return { name, test: new RegExp(`\\p{scx=${name}}`, 'u') };
  } catch {
    return null;
  }
}

const SCRIPT_TESTS = SCRIPT_NAMES.map(knownScript).filter((script) => script !== null);
const NEUTRAL = /[\p{scx=Common}\p{scx=Inherited}]/u;

/** UTS #39's augmented script sets: a CJK script also stands for the writing systems it is part of. */
const AUGMENTED: Readonly<Record<string, readonly string[]>> = {
  Han: ['Han', 'Hanb', 'Jpan', 'Kore'],
  Hiragana: ['Hiragana', 'Jpan'],
  Katakana: ['Katakana', 'Jpan'],
  Hangul: ['Hangul', 'Kore'],
  Bopomofo: ['Bopomofo', 'Hanb'],
};

/** Per code point: a handful of hosts' characters recur, and each costs some 170 tests the first time. */
const cache = new Map<number, readonly string[] | null>();

/** The augmented script set of one code point; null for Common and Inherited (they go with any). */
function augmentedScriptsOf(char: string): readonly string[] | null {
  const code = char.codePointAt(0) ?? 0;
  const known = cache.get(code);
  if (known !== undefined) return known;
  let result: readonly string[] | null;
  const names = SCRIPT_TESTS.filter((script) => script.test.test(char)).flatMap((script) => AUGMENTED[script.name] ?? [script.name]);
  if (names.length > 0) result = [...new Set(names)];
  else result = NEUTRAL.test(char) ? null : ['Unknown'];
  cache.set(code, result);
  return result;
}

const ASCII = /^[ -~]*$/;

export function isMixedScript(label: string): boolean {
  if (ASCII.test(label)) return false;
  let resolved: readonly string[] | null = null;
  for (const char of label) {
    const scripts = augmentedScriptsOf(char);
    if (scripts === null) continue;
    resolved = resolved === null ? scripts : resolved.filter((name) => scripts.includes(name));
    if (resolved.length === 0) return true;
  }
  return false;
}
