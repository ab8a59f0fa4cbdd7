import { useRef } from 'react';
import type { LinksFunction, MetaFunction } from '@remix-run/node';
import { useNavigate, useParams } from '@remix-run/react';
import { ReactFlowProvider } from '@xyflow/react';
import flowStyles from '@xyflow/react/dist/style.css?url';
import { Editor } from '~/editor/Editor';
import { EditorProvider } from '~/editor/store/context';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: flowStyles }];
export const meta: MetaFunction = () => [{ title: 'Flow editor · Switchyard' }];

/** `/flows/new` is a blank canvas that becomes `/flows/<id>` on its first save, without reloading. */
export default function FlowEditorRoute() {
  const { id = 'new' } = useParams();
  const navigate = useNavigate();
  const created = useRef<string>();
  const key = id === created.current ? 'new' : id;
  return (
    <EditorProvider key={key}>
      <ReactFlowProvider>
        <Editor
          flowId={id === 'new' ? undefined : id}
          onCreated={(newId) => {
            created.current = newId;
            navigate(`/flows/${newId}`, { replace: true });
          }}
        />
      </ReactFlowProvider>
    </EditorProvider>
  );
}
