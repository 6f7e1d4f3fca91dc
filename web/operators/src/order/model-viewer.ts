import {
  AmbientLight,
  BufferAttribute,
  BufferGeometry,
  Color,
  DirectionalLight,
  Group,
  type Material,
  Mesh,
  MeshStandardMaterial,
  PerspectiveCamera,
  Scene,
  SphereGeometry,
  Vector3,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

export interface Marker {
  readonly at: readonly [number, number, number];
  readonly kind: 'defect' | 'thin';
  readonly label: string;
}

/**
 * One model in 3D: owns the renderer, scene, camera, orbit controls, the model's mesh and the markers, and disposes
 * all of them. It draws on demand (when the camera moves, the model or the markers change, or the host resizes), not
 * in a loop: an order page left open costs nothing.
 */
export class ModelViewer {
  readonly canvas: HTMLCanvasElement;
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(40, 1, 0.1, 10_000);
  private readonly controls: OrbitControls;
  private readonly resizer: ResizeObserver;
  private readonly metal = new MeshStandardMaterial({ color: '#d4af37', metalness: 0.6, roughness: 0.35 });
  private readonly markerMaterials: Record<Marker['kind'], Material> = {
    defect: new MeshStandardMaterial({ color: '#d0342c', emissive: '#5a0c08' }),
    thin: new MeshStandardMaterial({ color: '#f0a020', emissive: '#4a3000' }),
  };
  private model: Mesh | undefined;
  private readonly markers = new Group();
  private markerGeometry: SphereGeometry | undefined;
  private shownMarkers: readonly Marker[] = [];
  private radius = 10;

  constructor(private readonly host: HTMLElement) {
    // preserveDrawingBuffer: the picture stays readable after it is drawn (screenshots, the browser tests).
    this.renderer = new WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.canvas = this.renderer.domElement;
    host.appendChild(this.canvas);
    this.scene.background = new Color('#f4f1ea');
    this.scene.add(new AmbientLight('#ffffff', 0.6));
    const sun = new DirectionalLight('#ffffff', 1.6);
    sun.position.set(1, 2, 3);
    // The light follows the camera, so the side the operator looks at is lit.
    this.camera.add(sun);
    this.scene.add(this.camera, this.markers);
    this.controls = new OrbitControls(this.camera, this.canvas);
    this.controls.addEventListener('change', this.draw);
    this.resizer = new ResizeObserver(() => this.resize());
    this.resizer.observe(host);
    this.resize();
  }

  /** Shows a model (flat triangle vertices, mm) in place of the one shown, and frames the camera on it. */
  show(positions: Float32Array): void {
    this.clearModel();
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(positions, 3));
    geometry.computeVertexNormals();
    geometry.computeBoundingSphere();
    this.model = new Mesh(geometry, this.metal);
    this.scene.add(this.model);
    const sphere = geometry.boundingSphere;
    const center = sphere?.center ?? new Vector3();
    this.radius = sphere?.radius || 10;
    this.controls.target.copy(center);
    this.camera.position.copy(center).add(new Vector3(this.radius * 1.6, this.radius * 1.2, this.radius * 2.2));
    this.camera.near = this.radius / 100;
    this.camera.far = this.radius * 20;
    this.camera.updateProjectionMatrix();
    this.controls.update();
    // The markers are sized by the model.
    this.setMarkers(this.shownMarkers);
  }

  /** The report's findings as small spheres on the model: defects red, thin walls amber. */
  setMarkers(markers: readonly Marker[]): void {
    this.clearMarkers();
    this.shownMarkers = markers;
    this.markerGeometry = new SphereGeometry(Math.max(this.radius / 60, 0.15), 12, 8);
    for (const m of markers) {
      const dot = new Mesh(this.markerGeometry, this.markerMaterials[m.kind]);
      dot.position.set(m.at[0], m.at[1], m.at[2]);
      dot.name = m.label;
      this.markers.add(dot);
    }
    this.draw();
  }

  dispose(): void {
    this.resizer.disconnect();
    this.controls.removeEventListener('change', this.draw);
    this.controls.dispose();
    this.clearModel();
    this.clearMarkers();
    this.metal.dispose();
    for (const m of Object.values(this.markerMaterials)) m.dispose();
    this.renderer.dispose();
    this.canvas.remove();
  }

  private readonly draw = () => {
    this.renderer.render(this.scene, this.camera);
  };

  private resize(): void {
    const width = Math.max(1, this.host.clientWidth);
    const height = Math.max(1, this.host.clientHeight);
    this.renderer.setSize(width, height);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.draw();
  }

  private clearModel(): void {
    if (!this.model) return;
    this.scene.remove(this.model);
    this.model.geometry.dispose();
    this.model = undefined;
  }

  private clearMarkers(): void {
    this.markers.clear();
    this.markerGeometry?.dispose();
    this.markerGeometry = undefined;
  }
}
