import type { MetaFunction } from '@remix-run/node';
import { TemplateGallery } from '~/editor/templates/TemplateGallery';

export const meta: MetaFunction = () => [{ title: 'Templates · Switchyard' }];

/** Every template: shipped with Switchyard and saved by the team. */
export default function Templates() {
  return (
    <div className="page-inner">
      <h1>Templates</h1>
      <p className="muted" style={{ marginTop: 0 }}>Ready-made flows. Preview one, then “Use this template”: you choose the accounts it uses, and it opens in the editor, turned off, for you to check and turn on.</p>
      <TemplateGallery heading="All templates" />
    </div>
  );
}
