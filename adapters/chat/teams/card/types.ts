/**
 * The subset of Adaptive Card 1.5 this renderer emits, as plain JSON types (the wire format, no SDK objects).
 * Property names and enum values follow the official schema (`adaptivecards.io/schemas/1.5.0/adaptive-card.json`);
 * `test/support/adaptive-card-schema.ts` checks every rendered card against the same subset.
 */

export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
export type TextColor = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
export type Spacing = 'none' | 'small' | 'default' | 'medium' | 'large';

/** A run of text. Adaptive Cards never parse a TextRun as markdown, which is why all view text goes here. */
export interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: 'bolder';
  size?: 'small' | 'medium' | 'large';
  color?: TextColor;
  isSubtle?: boolean;
  selectAction?: OpenUrlAction;
}

interface ElementBase {
  spacing?: Spacing;
  separator?: boolean;
}

export interface RichTextBlock extends ElementBase {
  type: 'RichTextBlock';
  inlines: TextRun[];
  horizontalAlignment?: 'left' | 'right';
}

export interface Column {
  type: 'Column';
  width: number | 'auto' | 'stretch';
  items: CardElement[];
}

export interface ColumnSet extends ElementBase {
  type: 'ColumnSet';
  columns: Column[];
}

export interface Container extends ElementBase {
  type: 'Container';
  items: CardElement[];
  style?: ContainerStyle;
  bleed?: boolean;
}

export interface ActionSet extends ElementBase {
  type: 'ActionSet';
  actions: CardButton[];
}

export interface InputText extends ElementBase {
  type: 'Input.Text';
  id: string;
  label: string;
  isMultiline?: boolean;
  maxLength?: number;
  placeholder?: string;
  style?: 'text' | 'email';
  isRequired?: boolean;
  errorMessage?: string;
}

export interface InputChoiceSet extends ElementBase {
  type: 'Input.ChoiceSet';
  id: string;
  label: string;
  style: 'compact';
  placeholder?: string;
  choices: { title: string; value: string }[];
}

export type CardElement = RichTextBlock | ColumnSet | Container | ActionSet | InputText | InputChoiceSet;

export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  /** The invoke's `action.data`: this object with the values of the card's inputs merged in. */
  data: Record<string, string>;
  style?: 'positive' | 'destructive';
}

export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: AdaptiveCard;
  style?: 'positive' | 'destructive';
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

export type CardButton = ExecuteAction | ShowCardAction | OpenUrlAction;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  /** Top-level cards only: an inline `Action.ShowCard` card inherits the version of the card that holds it. */
  $schema?: string;
  version?: '1.5';
  body: CardElement[];
  actions?: CardButton[];
}
