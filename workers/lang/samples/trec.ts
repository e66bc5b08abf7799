/**
 * TREC-style questions with their coarse labels (the label set OOLONG's trec_coarse split uses), made from
 * templates and slot fillers so a long document repeats itself little. A question's label follows from its
 * meaning, not its first word: "What is the capital of Peru?" asks for a location, "What is the population
 * of Lagos?" for a numeric value, "What is a tsunami?" for a description.
 */
import type { Rng } from './random.ts';

export const TREC_LABELS = [
  'abbreviation',
  'entity',
  'description and abstract concept',
  'human being',
  'location',
  'numeric value',
] as const;
export type TrecLabel = (typeof TREC_LABELS)[number];

const COUNTRIES = [
  'Peru',
  'Norway',
  'Kenya',
  'Japan',
  'Chile',
  'Portugal',
  'Vietnam',
  'Ghana',
  'Iceland',
  'Mongolia',
  'Uruguay',
  'Finland',
];
const CITIES = [
  'Lagos',
  'Denver',
  'Aspen',
  'Osaka',
  'Lyon',
  'Tartu',
  'Quito',
  'Perth',
  'Bergen',
  'Accra',
  'Porto',
  'Hanoi',
];
const LANDMARKS = [
  'the Eiffel Tower',
  'Mount Kilimanjaro',
  'the Golden Gate Bridge',
  'Angkor Wat',
  'the Sphinx',
  'Table Mountain',
  'the Parthenon',
  'Machu Picchu',
];
const INVENTIONS = [
  'telescope',
  'printing press',
  'telephone',
  'bicycle',
  'steam engine',
  'microscope',
  'radio',
  'light bulb',
];
const BOOKS = [
  'Moby Dick',
  'War and Peace',
  'Don Quixote',
  'The Tale of Genji',
  'Things Fall Apart',
  'One Hundred Years of Solitude',
];
const CONCEPTS = [
  'a tsunami',
  'photosynthesis',
  'inflation',
  'a black hole',
  'democracy',
  'a haiku',
  'an eclipse',
  'erosion',
];
const PHENOMENA = [
  'the sky look blue',
  'ice float on water',
  'the moon change shape',
  'bread rise',
  'thunder follow lightning',
];
const DEVICES = ['compass', 'thermostat', 'barometer', 'refrigerator', 'sundial', 'lock'];
const ACRONYMS = ['NASA', 'UNESCO', 'DNA', 'RADAR', 'SCUBA', 'LASER', 'NATO', 'FIFA', 'HTML', 'ATM'];
const TERMS = ['kilogram', 'Doctor of Philosophy', 'post meridiem', 'Limited company', 'miles per hour'];
const THINGS = ['bones', 'teeth', 'keys', 'players', 'moons', 'strings', 'stripes'];
const HOLDERS = [
  'the human body',
  'an adult mouth',
  'a piano',
  'a rugby team',
  'Jupiter',
  'a violin',
  'the US flag',
];
const ROLES = ['president', 'prime minister', 'king', 'first astronaut', 'national poet'];
const FRUITS = ['cashews', 'dates', 'nutmeg', 'olives', 'figs'];
const INSTRUMENTS = ['Yo-Yo Ma', 'Louis Armstrong', 'Ravi Shankar', 'Jimi Hendrix'];

type Template = (rng: Rng) => string;

const TEMPLATES: Record<TrecLabel, Template[]> = {
  location: [
    (r) => `What is the capital of ${r.pick(COUNTRIES)}?`,
    (r) => `Where is ${r.pick(LANDMARKS)} located?`,
    (r) => `What river flows through ${r.pick(CITIES)}?`,
    (r) => `Which country borders ${r.pick(COUNTRIES)} to the north?`,
    (r) => `In what country is ${r.pick(CITIES)}?`,
    (r) => `Where can one see ${r.pick(LANDMARKS)}?`,
  ],
  'numeric value': [
    (r) => `What is the population of ${r.pick(CITIES)}?`,
    (r) => `How many ${r.pick(THINGS)} are there in ${r.pick(HOLDERS)}?`,
    (r) => `When was the ${r.pick(INVENTIONS)} invented?`,
    (r) => `How far is it from ${r.pick(CITIES)} to ${r.pick(CITIES)}?`,
    (r) => `How tall is ${r.pick(LANDMARKS)}?`,
    (r) => `What year did ${r.pick(COUNTRIES)} adopt its flag?`,
  ],
  'human being': [
    (r) => `Who invented the ${r.pick(INVENTIONS)}?`,
    (r) => `Who wrote ${r.pick(BOOKS)}?`,
    (r) => `What is the name of the ${r.pick(ROLES)} of ${r.pick(COUNTRIES)}?`,
    (r) => `Which explorer first reached ${r.pick(LANDMARKS)}?`,
    (r) => `Who built ${r.pick(LANDMARKS)}?`,
  ],
  entity: [
    (r) => `What instrument does ${r.pick(INSTRUMENTS)} play?`,
    (r) => `What is the national animal of ${r.pick(COUNTRIES)}?`,
    (r) => `What kind of tree gives us ${r.pick(FRUITS)}?`,
    (r) => `What colours are on the flag of ${r.pick(COUNTRIES)}?`,
    (r) => `What language is spoken in ${r.pick(COUNTRIES)}?`,
    (r) => `Name a dish made with ${r.pick(FRUITS)}.`,
  ],
  'description and abstract concept': [
    (r) => `What is ${r.pick(CONCEPTS)}?`,
    (r) => `Why does ${r.pick(PHENOMENA)}?`,
    (r) => `How does a ${r.pick(DEVICES)} work?`,
    (r) =>
      `What does it mean to call something ${r.pick(['ephemeral', 'ubiquitous', 'quixotic', 'laconic'])}?`,
    (r) => `What causes ${r.pick(CONCEPTS)}?`,
  ],
  abbreviation: [
    (r) => `What does ${r.pick(ACRONYMS)} stand for?`,
    (r) => `What is the abbreviation for ${r.pick(TERMS)}?`,
    (r) => `What is the full form of ${r.pick(ACRONYMS)}?`,
  ],
};

/** A TREC-style question for a label; TREC's own spacing ("Aspen ?") now and then. */
export function trecQuestion(rng: Rng, label: TrecLabel): string {
  const q = rng.pick(TEMPLATES[label])(rng);
  return rng.int(3) === 0 ? q.replace(/([?.])$/, ' $1') : q;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** How a dump of questions writes each one (OOLONG's own layout among them). */
export type RecordFormat = 'oolong' | 'plain' | 'numbered' | 'csv';
export const RECORD_FORMATS: readonly RecordFormat[] = ['oolong', 'plain', 'numbered', 'csv'];

export function recordLine(
  rng: Rng,
  format: RecordFormat,
  n: number,
  user: string,
  question: string,
): string {
  const year = 2019 + rng.int(5);
  const month = rng.int(12);
  const day = 1 + rng.int(28);
  switch (format) {
    case 'oolong':
      return `Date: ${MONTHS[month]} ${String(day).padStart(2, '0')}, ${year} || User: ${user} || Instance: ${question}`;
    case 'plain':
      return question;
    case 'numbered':
      return `${n}. ${question}`;
    case 'csv':
      return `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')},${user},"${question.replace(/"/g, '""')}"`;
  }
}
