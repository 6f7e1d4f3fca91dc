import { useEffect, useRef, useState } from 'react';
import { parseModel } from './mesh.ts';
import { type Marker, ModelViewer } from './model-viewer.ts';

export type { Marker } from './model-viewer.ts';

/** The model in 3D, turnable and zoomable, with the report's defects (red) and thin spots (amber) marked. */
export function Viewer(props: { url: string; format?: string; markers: readonly Marker[] }) {
  const host = useRef<HTMLDivElement>(null);
  const viewer = useRef<ModelViewer | undefined>(undefined);
  const [state, setState] = useState<string>('Loading the model …');
  const markers = useRef(props.markers);
  markers.current = props.markers;

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let created: ModelViewer;
    try {
      created = new ModelViewer(element);
    } catch (e) {
      setState(`This browser cannot draw 3D (WebGL): ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    created.canvas.setAttribute('data-testid', 'model-canvas');
    created.canvas.setAttribute('aria-label', 'The model in 3D');
    viewer.current = created;
    created.setMarkers(markers.current);
    const controller = new AbortController();
    setState('Loading the model …');
    (async () => {
      const res = await fetch(props.url, { signal: controller.signal });
      if (!res.ok) throw new Error(`the model could not be loaded (HTTP ${res.status})`);
      const positions = parseModel(await res.arrayBuffer(), props.format);
      if (positions.length === 0) throw new Error('the file holds no triangles to show');
      created.show(positions);
      setState('');
    })().catch((e: unknown) => {
      if (!controller.signal.aborted) {
        setState(`Cannot show the model: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    return () => {
      controller.abort();
      viewer.current = undefined;
      created.dispose();
    };
  }, [props.url, props.format]);

  // The markers change without reloading the model (the report often arrives after it); the viewer keeps them for
  // the model it shows next.
  useEffect(() => {
    viewer.current?.setMarkers(props.markers);
  }, [props.markers]);

  return (
    <div className="viewer" ref={host} data-testid="viewer" data-state={state ? 'loading' : 'ready'}>
      {state ? <div className="viewer-state">{state}</div> : null}
      <div className="viewer-legend">
        <span className="dot defect" /> defects ({props.markers.filter((m) => m.kind === 'defect').length}){' '}
        <span className="dot thin" /> thin walls ({props.markers.filter((m) => m.kind === 'thin').length}) · drag to
        turn, scroll to zoom
      </div>
    </div>
  );
}
