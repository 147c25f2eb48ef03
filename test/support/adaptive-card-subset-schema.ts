/**
 * A strict JSON Schema for the part of Adaptive Card 1.5 the Teams renderer emits.
 *
 * Why not the official schema: `adaptivecards.io/schemas/1.5.0/adaptive-card.json` is not shipped by any npm
 * package (checked: `adaptivecards` 3.0.6, `adaptivecards-designer` 2.4.4 (a 1.0-era copy without
 * Action.Execute), `@microsoft/adaptivecards-tools` 1.3.11, `@microsoft/teams.cards` 2.1.0), and this machine has
 * no other way to fetch it. So this is written from the official 1.5 definitions (same property names, types and
 * enum values; the official one also accepts any casing of an enum, this one only the documented spelling) and
 * is stricter on purpose:
 * - only the elements the renderer uses are allowed. In particular `TextBlock` and `FactSet`, the two elements
 *   whose text Teams parses as markdown, are rejected, so a card that validates cannot render vendor text as
 *   markdown;
 * - `additionalProperties: false` everywhere (the official schema also has it), `type` always present, titles
 *   and text never empty, `Action.Execute` always with a `verb`, top-level cards with `version` ≤ 1.5.
 */

const enumOf = (...values: string[]) => ({ enum: values });
const ref = (name: string) => ({ $ref: `#/$defs/${name}` });
const typed = (type: string, properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties: { type: { const: type }, ...properties },
  required: ['type', ...required],
  additionalProperties: false,
});
const nonEmpty = { type: 'string', minLength: 1 };
const layout = { spacing: ref('Spacing'), separator: { type: 'boolean' }, id: { type: 'string' } };

/** Dispatches on `type` with if/then, so an error names the element's own problem, not 30 failed alternatives. */
const byType = (names: string[]) => ({
  type: 'object',
  required: ['type'],
  properties: { type: { enum: names } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keywords; this object is never awaited.
  allOf: names.map((name) => ({ if: { properties: { type: { const: name } } }, then: ref(name) })),
});

const ELEMENTS = ['RichTextBlock', 'ColumnSet', 'Container', 'ActionSet', 'Input.Text', 'Input.ChoiceSet'];
const ACTIONS = ['Action.Execute', 'Action.ShowCard', 'Action.OpenUrl'];

const cardProperties = {
  $schema: { type: 'string', format: 'uri' },
  body: { type: 'array', items: ref('Element') },
  actions: { type: 'array', items: ref('Action') },
  fallbackText: { type: 'string' },
  speak: { type: 'string' },
  lang: { type: 'string' },
};

export const ADAPTIVE_CARD_SUBSET_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  ...typed('AdaptiveCard', { ...cardProperties, version: enumOf('1.0', '1.1', '1.2', '1.3', '1.4', '1.5') }, [
    'version',
    'body',
  ]),
  $defs: {
    Spacing: enumOf('default', 'none', 'small', 'medium', 'large', 'extraLarge', 'padding'),
    ContainerStyle: enumOf('default', 'emphasis', 'good', 'attention', 'warning', 'accent'),
    Colors: enumOf('default', 'dark', 'light', 'accent', 'good', 'warning', 'attention'),
    FontSize: enumOf('default', 'small', 'medium', 'large', 'extraLarge'),
    FontWeight: enumOf('default', 'lighter', 'bolder'),
    HorizontalAlignment: enumOf('left', 'center', 'right'),
    ActionStyle: enumOf('default', 'positive', 'destructive'),
    Element: byType(ELEMENTS),
    Action: byType(ACTIONS),
    TextRun: typed(
      'TextRun',
      {
        text: nonEmpty,
        color: ref('Colors'),
        isSubtle: { type: 'boolean' },
        size: ref('FontSize'),
        weight: ref('FontWeight'),
        italic: { type: 'boolean' },
        selectAction: ref('Action.OpenUrl'),
      },
      ['text'],
    ),
    RichTextBlock: typed(
      'RichTextBlock',
      {
        ...layout,
        inlines: { type: 'array', items: ref('TextRun'), minItems: 1 },
        horizontalAlignment: ref('HorizontalAlignment'),
      },
      ['inlines'],
    ),
    Column: typed('Column', {
      width: {
        anyOf: [
          { type: 'number', exclusiveMinimum: 0 },
          enumOf('auto', 'stretch'),
          { type: 'string', pattern: '^\\d+px$' },
        ],
      },
      items: { type: 'array', items: ref('Element') },
      style: ref('ContainerStyle'),
    }),
    ColumnSet: typed('ColumnSet', { ...layout, columns: { type: 'array', items: ref('Column'), minItems: 1 } }, [
      'columns',
    ]),
    Container: typed(
      'Container',
      {
        ...layout,
        items: { type: 'array', items: ref('Element') },
        style: ref('ContainerStyle'),
        bleed: { type: 'boolean' },
      },
      ['items'],
    ),
    ActionSet: typed('ActionSet', { ...layout, actions: { type: 'array', items: ref('Action'), minItems: 1 } }, [
      'actions',
    ]),
    'Input.Text': typed(
      'Input.Text',
      {
        ...layout,
        id: nonEmpty,
        label: nonEmpty,
        isMultiline: { type: 'boolean' },
        maxLength: { type: 'number', minimum: 1 },
        placeholder: { type: 'string' },
        style: enumOf('text', 'tel', 'url', 'email', 'password'),
        isRequired: { type: 'boolean' },
        errorMessage: { type: 'string' },
      },
      ['id'],
    ),
    'Input.ChoiceSet': typed(
      'Input.ChoiceSet',
      {
        ...layout,
        id: nonEmpty,
        label: nonEmpty,
        style: enumOf('compact', 'expanded', 'filtered'),
        placeholder: { type: 'string' },
        isMultiSelect: { type: 'boolean' },
        isRequired: { type: 'boolean' },
        choices: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            // A comma would split the value: multi-select returns the chosen values comma-separated.
            properties: { title: nonEmpty, value: { type: 'string', minLength: 1, pattern: '^[^,]*$' } },
            required: ['title', 'value'],
            additionalProperties: false,
          },
        },
      },
      ['id', 'choices'],
    ),
    'Action.Execute': typed(
      'Action.Execute',
      {
        title: nonEmpty,
        verb: nonEmpty,
        data: { type: 'object' },
        style: ref('ActionStyle'),
        id: { type: 'string' },
        tooltip: { type: 'string' },
      },
      ['title', 'verb'],
    ),
    'Action.ShowCard': typed(
      'Action.ShowCard',
      { title: nonEmpty, card: ref('ShownCard'), style: ref('ActionStyle'), id: { type: 'string' } },
      ['title', 'card'],
    ),
    'Action.OpenUrl': typed(
      'Action.OpenUrl',
      { title: nonEmpty, url: { type: 'string', format: 'uri', pattern: '^https?://' }, id: { type: 'string' } },
      ['url'],
    ),
    /** The card inside an Action.ShowCard: `version` is not required there (it inherits the outer one). */
    ShownCard: typed('AdaptiveCard', { ...cardProperties, version: { type: 'string' } }, ['body']),
  },
} as const;
