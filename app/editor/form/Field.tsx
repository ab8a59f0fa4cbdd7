import { useId, useState, type ReactNode } from 'react';
import { useFormEnv } from './context';
import { ExpressionInput } from './ExpressionInput';
import { allowsExpression, checkValue, fieldKind, fieldTitle, isExpression, resolve, type JsonSchema } from './schema';
import { Widget } from './widgets';

export interface FieldProps {
  name: string;
  schema: JsonSchema;
  root: JsonSchema;
  path: (string | number)[];
  idPrefix: string;
  required: boolean;
  value: unknown;
  onChange(next: unknown): void;
}

/**
 * One labelled field: label (with a required mark), the widget for its kind, help text, and the
 * error — the server's for this path first, else what the browser can tell. String-capable fields
 * with `expression: true` get a Fixed/Expression switch.
 */
export function Field(props: FieldProps) {
  const { name, root, path, idPrefix, required, value, onChange } = props;
  const env = useFormEnv();
  const schema = resolve(props.schema, root);
  const id = `${idPrefix}-${useId()}`;
  const kind = fieldKind(schema);
  const canExpress = allowsExpression(schema) && kind !== 'boolean' && kind !== 'list' && kind !== 'object' && kind !== 'multi' && kind !== 'key-value';
  // The mode starts from the value (`{{` means expression) and is then the user's choice, so a plain
  // text typed in expression mode does not flip the field back to fixed.
  const [chosen, setChosen] = useState<boolean>();
  const expressionMode = canExpress && (chosen ?? isExpression(value));
  const error = env.errors[path.join('.')] ?? checkValue(schema, value, required);
  const label = fieldTitle(name, schema);
  const help = typeof schema.description === 'string' ? schema.description : undefined;

  let control: ReactNode;
  if (expressionMode) {
    control = <ExpressionInput id={id} value={String(value)} onChange={onChange} invalid={!!error} label={label} />;
  } else {
    control = <Widget {...props} schema={schema} id={id} kind={kind} invalid={!!error} label={label} />;
  }

  return (
    <div className={`field kind-${kind}`} data-field={path.join('.')}>
      <div className="field-label">
        {/* The mark stays outside the label so the field's accessible name is just its title. */}
        <label htmlFor={id} id={`${id}-label`}>{label}</label>{required && <span className="req" title="Required">*</span>}
        <span className="grow" />
        {canExpress && !env.readOnly && (
          <button
            type="button"
            className="small ghost expr-toggle"
            aria-pressed={expressionMode}
            aria-label={`${label}: ${expressionMode ? 'use a fixed value' : 'use an expression'}`}
            title={expressionMode ? 'Switch to a fixed value' : 'Switch to an expression ({{ … }}) that uses data from earlier steps'}
            onClick={() => {
              setChosen(!expressionMode);
              if (expressionMode) onChange(isExpression(value) ? undefined : value);
              else if (typeof value !== 'string' && value !== undefined) onChange(JSON.stringify(value));
            }}
          >
            {expressionMode ? 'Fixed' : '{{ }}'}
          </button>
        )}
      </div>
      {control}
      {help && kind !== 'boolean' && <div className="field-help" id={`${id}-help`}>{help}</div>}
      {error && <div className="field-error" role="alert" id={`${id}-error`}>{error}</div>}
    </div>
  );
}
