import { useEffect, useRef, useState } from 'react';
import {
  AmbientLight,
  BufferAttribute,
  BufferGeometry,
  Color,
  DirectionalLight,
  Mesh,
  MeshStandardMaterial,
  PerspectiveCamera,
  Scene,
  SphereGeometry,
  Vector3,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { parseModel } from './mesh.ts';

export interface Marker {
  readonly at: readonly [number, number, number];
  readonly kind: 'defect' | 'thin';
  readonly label: string;
}

/** The model in 3D, turnable and zoomable, with the report's defects (red) and thin spots (amber) marked. */
export function Viewer(props: { url: string; format?: string; markers: readonly Marker[] }) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<string>('Loading the model …');

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let disposed = false;
    const renderer = new WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    renderer.setSize(element.clientWidth, element.clientHeight);
    renderer.domElement.setAttribute('data-testid', 'model-canvas');
    element.appendChild(renderer.domElement);
    const scene = new Scene();
    scene.background = new Color('#f4f1ea');
    const camera = new PerspectiveCamera(40, element.clientWidth / element.clientHeight, 0.1, 10_000);
    scene.add(new AmbientLight('#ffffff', 0.6));
    const sun = new DirectionalLight('#ffffff', 1.6);
    sun.position.set(1, 2, 3);
    scene.add(sun);
    const controls = new OrbitControls(camera, renderer.domElement);
    const draw = () => renderer.render(scene, camera);
    controls.addEventListener('change', draw);

    (async () => {
      const res = await fetch(props.url);
      if (!res.ok) throw new Error(`the model could not be loaded (HTTP ${res.status})`);
      const positions = parseModel(await res.arrayBuffer(), props.format);
      if (disposed) return;
      if (positions.length === 0) throw new Error('the file holds no triangles to show');
      const geometry = new BufferGeometry();
      geometry.setAttribute('position', new BufferAttribute(positions, 3));
      geometry.computeVertexNormals();
      geometry.computeBoundingSphere();
      const metal = new MeshStandardMaterial({ color: '#d4af37', metalness: 0.6, roughness: 0.35 });
      scene.add(new Mesh(geometry, metal));
      const sphere = geometry.boundingSphere;
      const center = sphere?.center ?? new Vector3();
      const radius = sphere?.radius || 10;
      const dot = new SphereGeometry(Math.max(radius / 60, 0.15), 12, 8);
      const red = new MeshStandardMaterial({ color: '#d0342c' });
      const amber = new MeshStandardMaterial({ color: '#f0a020' });
      for (const m of props.markers) {
        const marker = new Mesh(dot, m.kind === 'defect' ? red : amber);
        marker.position.set(m.at[0], m.at[1], m.at[2]);
        scene.add(marker);
      }
      controls.target.copy(center);
      camera.position.copy(center).add(new Vector3(radius * 1.6, radius * 1.2, radius * 2.2));
      camera.near = radius / 100;
      camera.far = radius * 20;
      camera.updateProjectionMatrix();
      controls.update();
      draw();
      setState('');
    })().catch((e: unknown) => setState(`Cannot show the model: ${e instanceof Error ? e.message : String(e)}`));

    const resize = () => {
      renderer.setSize(element.clientWidth, element.clientHeight);
      camera.aspect = element.clientWidth / element.clientHeight;
      camera.updateProjectionMatrix();
      draw();
    };
    window.addEventListener('resize', resize);
    return () => {
      disposed = true;
      window.removeEventListener('resize', resize);
      controls.dispose();
      renderer.dispose();
      element.removeChild(renderer.domElement);
    };
  }, [props.url, props.format, props.markers]);

  return (
    <div className="viewer" ref={host} data-testid="viewer">
      {state ? <div className="viewer-state">{state}</div> : null}
      <div className="viewer-legend">
        <span className="dot defect" /> defects <span className="dot thin" /> thin walls · drag to turn, scroll to zoom
      </div>
    </div>
  );
}
